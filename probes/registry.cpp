#include "probes/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

namespace bbcheck {
namespace {

// Built on first use: registration runs during static initialisation, whose
// order across files is unspecified.
std::map<std::string, std::unique_ptr<ProbeKind>>& kinds() {
  static std::map<std::string, std::unique_ptr<ProbeKind>> registered;
  return registered;
}

}  // namespace

bool registerProbe(ProbeKind kind) {
  auto& all = kinds();
  if (all.count(kind.name) != 0) {
    std::fprintf(stderr, "bbcheck: probe kind '%s' registered twice\n", kind.name.c_str());
    std::abort();
  }
  std::string name = kind.name;
  all.emplace(name, std::make_unique<ProbeKind>(std::move(kind)));
  return true;
}

const ProbeKind* findProbe(const std::string& name) {
  auto& all = kinds();
  auto it = all.find(name);
  return it == all.end() ? nullptr : it->second.get();
}

std::vector<const ProbeKind*> allProbes() {
  std::vector<const ProbeKind*> out;
  for (const auto& [name, kind] : kinds()) out.push_back(kind.get());
  return out;
}

}  // namespace bbcheck
