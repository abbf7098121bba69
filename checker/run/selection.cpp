#include "checker/run/selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "checker/profile/profile_error.h"

namespace bbcheck {

bool selectorMatches(const std::string& selector, const Check& check) {
  if (selector.rfind("tag:", 0) == 0)
    return std::find(check.tags.begin(), check.tags.end(), selector.substr(4)) != check.tags.end();
  if (!selector.empty() && selector.back() == '.') return check.id.rfind(selector, 0) == 0;
  // A check instantiated once per worker answers to the profile's id too.
  return check.id == selector || (!check.instance_of.empty() && check.instance_of == selector);
}

namespace {

void requireMatch(const Profile& profile, const std::string& flag, const std::string& selector) {
  for (const auto& c : profile.checks)
    if (selectorMatches(selector, c)) return;
  throw ProfileError(
      {}, fmt::format("{} {}: matches no check of profile {} (a selector is an id, an id prefix "
                      "ending in '.', or tag:NAME; see bbcheck list)",
                      flag, selector, profile.name));
}

}  // namespace

Selection selectChecks(const Profile& profile, const std::vector<std::string>& only,
                       const std::vector<std::string>& skip, const DerivedChecks& derived) {
  for (const auto& s : only) requireMatch(profile, "--only", s);
  for (const auto& s : skip) requireMatch(profile, "--skip", s);

  std::map<std::string, const Check*> byId;
  for (const auto& c : profile.checks) byId[c.id] = &c;
  std::map<std::string, bool> chosen;
  // A chosen check brings what it needs and what it is derived from; an
  // explicit stack, not recursion, as needs chains can be as long as the
  // profile.
  auto choose = [&](const Check& first) {
    std::vector<const Check*> pending = {&first};
    while (!pending.empty()) {
      const Check* c = pending.back();
      pending.pop_back();
      if (chosen[c->id]) continue;
      chosen[c->id] = true;
      for (const auto& need : c->needs) pending.push_back(byId.at(need));
      auto d = derived.find(c->id);
      if (d != derived.end())
        for (const auto& id : d->second.inputs) pending.push_back(byId.at(id));
    }
  };
  for (const auto& c : profile.checks) {
    bool wanted = only.empty() || std::any_of(only.begin(), only.end(), [&](const std::string& s) {
                    return selectorMatches(s, c);
                  });
    if (wanted) choose(c);
  }

  Selection selection;
  for (const auto& c : profile.checks) {
    auto skipped = std::find_if(skip.begin(), skip.end(),
                                [&](const std::string& s) { return selectorMatches(s, c); });
    if (skipped != skip.end())
      selection.skip_reasons.push_back(fmt::format("not selected: --skip {}", *skipped));
    else if (!chosen[c.id])
      selection.skip_reasons.push_back("not selected by --only");
    else
      selection.skip_reasons.push_back("");
    selection.selected.push_back(selection.skip_reasons.back().empty());
  }
  return selection;
}

}  // namespace bbcheck
