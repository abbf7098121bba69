#include "checker/vars.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "checker/profile_error.h"

namespace bbcheck {
namespace {

std::string declaredList(const std::map<std::string, std::string>& vars) {
  std::string names;
  for (const auto& [name, value] : vars) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

}  // namespace

std::string substituteVars(const std::string& text, const std::map<std::string, std::string>& vars,
                           const SourcePos& pos) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find("${", i);
    if (start == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, start - i);
    size_t end = text.find('}', start + 2);
    if (end == std::string::npos)
      throw ProfileError(pos, fmt::format("unterminated '${{' in \"{}\"", text));
    std::string name = text.substr(start + 2, end - start - 2);
    if (name.rfind("env:", 0) == 0) {
      const char* value = std::getenv(name.substr(4).c_str());
      if (value == nullptr)
        throw ProfileError(pos, fmt::format("environment variable {} is not set", name.substr(4)));
      out += value;
    } else {
      auto it = vars.find(name);
      if (it == vars.end())
        throw ProfileError(
            pos, fmt::format("unknown var '{}' (declared: {})", name, declaredList(vars)));
      out += it->second;
    }
    i = end + 1;
  }
  return out;
}

std::string expandHome(const std::string& path) {
  if (path.empty() || path[0] != '~' || (path.size() > 1 && path[1] != '/')) return path;
  const char* home = std::getenv("HOME");
  std::string dir = home ? home : "";
  if (dir.empty()) {
    if (passwd* pw = ::getpwuid(::geteuid())) dir = pw->pw_dir;
  }
  return dir + path.substr(1);
}

}  // namespace bbcheck
