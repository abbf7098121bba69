#include "checker/profile/vars.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "checker/profile/profile_error.h"

namespace bbcheck {
namespace {

// Vars referring to vars: deeper than this is a mistake, not a profile.
constexpr size_t kMaxVarDepth = 64;

std::string declaredList(const std::map<std::string, VarExpander::Var>& vars) {
  std::string names;
  for (const auto& [name, var] : vars) names += (names.empty() ? "" : ", ") + name;
  return names.empty() ? "none" : names;
}

std::string shortened(const std::string& text) {
  return text.size() <= 200 ? text : text.substr(0, 200) + "...";
}

}  // namespace

std::map<std::string, std::string> VarExpander::allValues() {
  std::map<std::string, std::string> out;
  for (const auto& [name, var] : vars_) out[name] = valueOf(name, var.pos);
  return out;
}

void VarExpander::account(size_t bytes, const SourcePos& pos) {
  total_ += bytes;
  if (total_ > kMaxTotalExpansion)
    throw ProfileError(pos, fmt::format("vars expand to more than {} MiB in all (limit)",
                                        kMaxTotalExpansion >> 20));
}

const std::string& VarExpander::valueOf(const std::string& name, const SourcePos& usedAt) {
  auto done = done_.find(name);
  if (done != done_.end()) return done->second;
  const Var& var = vars_.at(name);
  if (expanding_.count(name))
    throw ProfileError(var.pos, fmt::format("var '{}' refers to itself through other vars", name));
  if (expanding_.size() >= kMaxVarDepth)
    throw ProfileError(usedAt, fmt::format("vars refer to vars more than {} deep", kMaxVarDepth));
  expanding_.insert(name);
  std::string value = expand(var.value, var.pos);
  expanding_.erase(name);
  return done_[name] = std::move(value);
}

std::string VarExpander::expand(const std::string& text, const SourcePos& pos) {
  std::string out;
  auto append = [&](const char* data, size_t size) {
    if (out.size() + size > kMaxExpandedValue)
      throw ProfileError(
          pos, fmt::format("expanding ${{...}} makes this value larger than {} MiB (limit): \"{}\"",
                           kMaxExpandedValue >> 20, shortened(text)));
    out.append(data, size);
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find("${", i);
    if (start == std::string::npos) {
      append(text.data() + i, text.size() - i);
      break;
    }
    if (start > i && text[start - 1] == '$') {  // "$${" is a literal "${"
      append(text.data() + i, start - 1 - i);
      append("${", 2);
      i = start + 2;
      continue;
    }
    append(text.data() + i, start - i);
    size_t end = text.find('}', start + 2);
    if (end == std::string::npos)
      throw ProfileError(pos, fmt::format("unterminated '${{' in \"{}\"", shortened(text)));
    std::string name = text.substr(start + 2, end - start - 2);
    // ${name:-fallback}: the fallback, as written, when the value is empty
    // or the environment variable is not set.
    size_t dash = name.find(":-");
    bool hasFallback = dash != std::string::npos;
    std::string fallback = hasFallback ? name.substr(dash + 2) : "";
    if (hasFallback) name.resize(dash);
    if (name.rfind("env:", 0) == 0) {
      const char* value = std::getenv(name.substr(4).c_str());
      if (value == nullptr && !hasFallback && unset_env_) {
        unset_env_(pos, name.substr(4));
        value = "";
      }
      if (value == nullptr && !hasFallback)
        throw ProfileError(pos, fmt::format("environment variable {} is not set", name.substr(4)));
      if (value == nullptr || (*value == '\0' && hasFallback))
        append(fallback.data(), fallback.size());
      else
        append(value, std::strlen(value));
    } else {
      if (!vars_.count(name))
        throw ProfileError(
            pos, fmt::format("unknown var '{}' (declared: {})", name, declaredList(vars_)));
      const std::string& value = valueOf(name, pos);
      const std::string& used = value.empty() && hasFallback ? fallback : value;
      append(used.data(), used.size());
    }
    i = end + 1;
  }
  if (out.size() > text.size()) account(out.size(), pos);
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
