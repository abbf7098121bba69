// Following `extends`: a profile merged over the profiles it extends, with
// `drop` applied and extends cycles refused.
#include "checker/profile/profile_extends.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "checker/profile/profile_error.h"

namespace bbcheck {

// Linear in the number of checks: an index by id, not a search per check
// (100,000 checks took a minute to load); the child's checks are moved.
void overlayProfile(RawProfile& base, RawProfile child) {
  for (const auto& [name, var] : child.vars) base.vars[name] = var;
  if (child.onboarding.present()) base.onboarding = child.onboarding;
  if (child.stages.present()) base.stages = child.stages;
  // A profile's own ids are unique (readOwnLayer refuses duplicates).
  if (base.checks.empty()) {
    base.checks = std::move(child.checks);
    return;
  }
  std::unordered_map<std::string, size_t> indexOf;
  indexOf.reserve(base.checks.size() + child.checks.size());
  for (size_t i = 0; i < base.checks.size(); ++i) indexOf.emplace(base.checks[i].id, i);
  for (auto& check : child.checks) {
    auto found = indexOf.find(check.id);
    if (found == indexOf.end()) {
      indexOf.emplace(check.id, base.checks.size());
      base.checks.push_back(std::move(check));
      continue;
    }
    for (const auto& [key, field] : check.fields) base.checks[found->second].fields[key] = field;
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
  std::unordered_set<std::string> present, dropped;
  for (const auto& c : merged.checks) present.insert(c.id);
  for (const auto& [id, node] : profileList(doc, "drop")) {
    if (!present.count(id))
      throw ProfileError(positionOf(node, doc.file),
                         fmt::format("drop: no check '{}' in the extended profiles", id));
    dropped.insert(id);
  }
  if (!dropped.empty()) {
    auto isDropped = [&dropped](const RawCheck& c) { return dropped.count(c.id) > 0; };
    merged.checks.erase(std::remove_if(merged.checks.begin(), merged.checks.end(), isDropped),
                        merged.checks.end());
  }
  RawProfile layer = readOwnLayer(doc);
  merged.name = layer.name;
  merged.description = layer.description;
  if (!layer.subject.empty()) merged.subject = layer.subject;
  overlayProfile(merged, std::move(layer));
  return merged;
}

}  // namespace bbcheck
