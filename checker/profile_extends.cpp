// Following `extends`: a profile merged over the profiles it extends, with
// `drop` applied and extends cycles refused.
#include "checker/profile_extends.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/profile_error.h"

namespace bbcheck {

void overlayProfile(RawProfile& base, const RawProfile& child) {
  for (const auto& [name, var] : child.vars) base.vars[name] = var;
  if (child.onboarding.present()) base.onboarding = child.onboarding;
  for (const auto& check : child.checks) {
    auto it = std::find_if(base.checks.begin(), base.checks.end(),
                           [&](const RawCheck& c) { return c.id == check.id; });
    if (it == base.checks.end()) {
      base.checks.push_back(check);
      continue;
    }
    for (const auto& [key, field] : check.fields) it->fields[key] = field;
  }
}

RawProfile ExtendsLoader::load(const std::string& ref, const std::string& fromDir,
                               const SourcePos& usedAt) {
  ProfileSource source = locateProfile(ref, fromDir, usedAt);
  return loadSource(source, usedAt);
}

RawProfile ExtendsLoader::loadSource(const ProfileSource& source, const SourcePos& usedAt) {
  if (std::find(stack_.begin(), stack_.end(), source.identity) != stack_.end()) {
    std::string chain;
    for (const auto& s : stack_) chain += s + " -> ";
    throw ProfileError(usedAt, fmt::format("extends cycle: {}{}", chain, source.identity));
  }
  stack_.push_back(source.identity);
  if (stack_.size() == 1) topText_ = source.text;
  RawProfile result = loadLayer(source);
  stack_.pop_back();
  return result;
}

// The steps run in the order the file is checked (top level, parents, drop,
// own entries) so that a profile with several mistakes reports the first.
RawProfile ExtendsLoader::loadLayer(const ProfileSource& source) {
  ProfileDocument doc = readProfileDocument(source);
  RawProfile merged;
  for (const auto& [ref, node] : profileList(doc, "extends"))
    overlayProfile(merged, load(ref, source.dir, positionOf(node, doc.file)));
  for (const auto& drop : profileList(doc, "drop")) {
    const std::string& id = drop.first;  // a plain name: C++17 lambdas cannot capture a binding
    auto it = std::find_if(merged.checks.begin(), merged.checks.end(),
                           [&](const RawCheck& c) { return c.id == id; });
    if (it == merged.checks.end())
      throw ProfileError(positionOf(drop.second, doc.file),
                         fmt::format("drop: no check '{}' in the extended profiles", id));
    merged.checks.erase(it);
  }
  RawProfile layer = readOwnLayer(doc);
  merged.name = layer.name;
  merged.description = layer.description;
  overlayProfile(merged, layer);
  return merged;
}

}  // namespace bbcheck
