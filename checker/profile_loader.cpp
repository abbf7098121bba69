#include "checker/profile_loader.h"

#include <Poco/DigestEngine.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "checker/builtin_profiles.h"
#include "checker/check_builder.h"
#include "checker/onboarding_reader.h"
#include "checker/profile_extends.h"
#include "checker/profile_reader.h"
#include "checker/raw_profile.h"
#include "checker/stage.h"
#include "checker/vars.h"

namespace bbcheck {
namespace {

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// Final var values: --set overrides, then ${env:...} and ${other} inside values.
std::map<std::string, std::string> resolveVars(const RawProfile& raw, const LoadOptions& options) {
  std::map<std::string, RawVar> vars = raw.vars;
  for (const auto& [name, value] : options.overrides) {
    auto it = vars.find(name);
    if (it == vars.end()) {
      std::string declared;
      for (const auto& [n, v] : vars) declared += (declared.empty() ? "" : ", ") + n;
      throw ProfileError({}, fmt::format("--set {}: profile {} has no var '{}' (vars: {})", name,
                                         raw.name, name, declared.empty() ? "none" : declared));
    }
    it->second.value = value;
  }
  std::map<std::string, std::string> plain;
  for (const auto& [name, var] : vars) {
    if (!var.value)
      throw ProfileError(
          var.pos, fmt::format("var '{}' has no value: set it with --set {}=VALUE", name, name));
    plain[name] = *var.value;
  }
  // Values may refer to the environment and to other vars; a few rounds
  // settle any sensible chain, and a cycle stays unresolved and is reported.
  for (int round = 0; round < 8; ++round) {
    bool changed = false;
    for (auto& [name, value] : plain) {
      if (value.find("${") == std::string::npos) continue;
      std::string next = substituteVars(value, plain, vars.at(name).pos);
      changed |= next != value;
      value = next;
    }
    if (!changed) break;
  }
  for (const auto& [name, value] : plain) {
    if (value.find("${") != std::string::npos)
      throw ProfileError(vars.at(name).pos,
                         fmt::format("var '{}' refers to itself through other vars", name));
  }
  return plain;
}

void checkNeeds(const Profile& profile) {
  std::map<std::string, const Check*> byId;
  for (const auto& c : profile.checks) byId[c.id] = &c;
  for (const auto& c : profile.checks) {
    for (const auto& need : c.needs) {
      if (!byId.count(need))
        throw ProfileError(
            c.pos,
            fmt::format("check '{}' needs '{}', which is not a check of this profile", c.id, need));
      if (need == c.id) throw ProfileError(c.pos, fmt::format("check '{}' needs itself", c.id));
    }
  }
  // Depth-first search for a cycle; report it as a chain of ids.
  std::map<std::string, int> state;  // 0 new, 1 on the path, 2 done
  std::vector<std::string> path;
  std::function<void(const Check&)> visit = [&](const Check& c) {
    state[c.id] = 1;
    path.push_back(c.id);
    for (const auto& need : c.needs) {
      if (state[need] == 1) {
        std::string chain;
        auto from = std::find(path.begin(), path.end(), need);
        for (auto it = from; it != path.end(); ++it) chain += *it + " -> ";
        throw ProfileError(byId[need]->pos, fmt::format("needs cycle: {}{}", chain, need));
      }
      if (state[need] == 0) visit(*byId[need]);
    }
    path.pop_back();
    state[c.id] = 2;
  };
  for (const auto& c : profile.checks)
    if (state[c.id] == 0) visit(c);
}

Profile finish(const RawProfile& raw, const LoadOptions& options, std::string source,
               std::string sha) {
  Profile profile;
  profile.name = raw.name;
  profile.description = raw.description;
  profile.source = std::move(source);
  profile.sha256 = std::move(sha);
  profile.vars = resolveVars(raw, options);
  for (const auto& rawCheck : raw.checks) {
    Check check = buildCheck(rawCheck, profile.vars);
    check.origin = rawCheck.origin;
    profile.checks.push_back(std::move(check));
  }
  if (raw.onboarding.present()) profile.onboarding = readOnboarding(raw.onboarding, profile.vars);
  checkNeeds(profile);
  checkStageNeeds(profile);
  return profile;
}

}  // namespace

Profile loadProfiles(const std::vector<std::string>& refs, const LoadOptions& options) {
  std::vector<std::string> all = refs.empty() ? std::vector<std::string>{kDefaultProfile} : refs;
  RawProfile merged;
  std::string names, sources, texts;
  for (const auto& ref : all) {
    ExtendsLoader loader;
    RawProfile layer = loader.load(ref, "", {});
    names += (names.empty() ? "" : "+") + layer.name;
    sources += (sources.empty() ? "" : ",") + (looksLikeProfilePath(ref) ? ref : "builtin:" + ref);
    texts += loader.topText();
    merged.description = layer.description;
    overlayProfile(merged, layer);
  }
  merged.name = names;
  return finish(merged, options, sources, sha256Hex(texts));
}

Profile loadProfileText(const std::string& text, const std::string& file,
                        const LoadOptions& options) {
  ExtendsLoader loader;
  ProfileSource source{file, file, Poco::Path(file).parent().toString(), text};
  RawProfile raw = loader.loadSource(source, {});
  return finish(raw, options, file, sha256Hex(text));
}

std::vector<std::string> builtinProfileNames() {
  std::vector<std::string> names;
  for (const auto& p : builtinProfiles()) names.push_back(p.name);
  return names;
}

}  // namespace bbcheck
