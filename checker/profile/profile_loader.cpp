#include "checker/profile/profile_loader.h"

#include <Poco/DigestEngine.h>
#include <Poco/Path.h>
#include <Poco/SHA2Engine.h>
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "checker/profile/builtin_profiles.h"
#include "checker/profile/check_builder.h"
#include "checker/profile/onboarding_reader.h"
#include "checker/profile/profile_extends.h"
#include "checker/profile/profile_reader.h"
#include "checker/profile/raw_profile.h"
#include "checker/profile/stage_gate_reader.h"
#include "checker/profile/stage_needs.h"
#include "checker/profile/vars.h"
#include "probes/builtin/builtin_probes.h"

namespace bbcheck {
namespace {

std::string sha256Hex(const std::string& text) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// The declared vars with --set overrides applied; every one must have a value.
std::map<std::string, VarExpander::Var> varsWithOverrides(const RawProfile& raw,
                                                          const LoadOptions& options) {
  std::map<std::string, RawVar> vars = raw.vars;
  for (const auto& [name, value] : options.overrides) {
    auto it = vars.find(name);
    if (it == vars.end()) {
      std::string declared;
      for (const auto& entry : vars) declared += (declared.empty() ? "" : ", ") + entry.first;
      throw ProfileError({}, fmt::format("--set {}: profile {} has no var '{}' (vars: {})", name,
                                         raw.name, name, declared.empty() ? "none" : declared));
    }
    it->second.value = value;
  }
  std::map<std::string, VarExpander::Var> out;
  for (const auto& [name, var] : vars) {
    if (!var.value)
      throw ProfileError(
          var.pos, fmt::format("var '{}' has no value: set it with --set {}=VALUE", name, name));
    out[name] = {*var.value, var.pos};
  }
  return out;
}

// A cycle through thousands of checks is named by its first and last few.
std::string shortChain(const std::string& chain) {
  if (chain.size() <= 2000) return chain;
  return chain.substr(0, 1000) + "... -> " + chain.substr(chain.size() - 1000);
}

// Every need names another check of the profile, and needs form no cycle.
// Iterative (an explicit stack): a chain of 35,000 checks must not
// overflow the call stack.
void checkNeeds(const Profile& profile) {
  std::unordered_map<std::string, size_t> indexOf;
  for (size_t i = 0; i < profile.checks.size(); ++i) indexOf.emplace(profile.checks[i].id, i);
  std::vector<std::vector<size_t>> edges(profile.checks.size());
  for (size_t i = 0; i < profile.checks.size(); ++i) {
    const Check& c = profile.checks[i];
    for (const auto& need : c.needs) {
      auto found = indexOf.find(need);
      if (found == indexOf.end())
        throw ProfileError(
            c.pos,
            fmt::format("check '{}' needs '{}', which is not a check of this profile", c.id, need));
      if (need == c.id) throw ProfileError(c.pos, fmt::format("check '{}' needs itself", c.id));
      edges[i].push_back(found->second);
    }
  }
  // Depth-first search for a cycle; report it as a chain of ids.
  enum State : char { New, OnPath, Done };
  std::vector<State> state(profile.checks.size(), New);
  struct Frame {
    size_t check;
    size_t next;  // index into edges[check] of the next need to visit
  };
  std::vector<Frame> path;
  for (size_t root = 0; root < profile.checks.size(); ++root) {
    if (state[root] != New) continue;
    state[root] = OnPath;
    path.push_back({root, 0});
    while (!path.empty()) {
      Frame& top = path.back();
      if (top.next == edges[top.check].size()) {
        state[top.check] = Done;
        path.pop_back();
        continue;
      }
      size_t need = edges[top.check][top.next++];
      if (state[need] == OnPath) {
        std::string chain;
        auto from =
            std::find_if(path.begin(), path.end(), [&](const Frame& f) { return f.check == need; });
        for (auto it = from; it != path.end(); ++it) chain += profile.checks[it->check].id + " -> ";
        throw ProfileError(
            profile.checks[need].pos,
            fmt::format("needs cycle: {}{}", shortChain(chain), profile.checks[need].id));
      }
      if (state[need] == New) {
        state[need] = OnPath;
        path.push_back({need, 0});
      }
    }
  }
}

Profile finish(const RawProfile& raw, const LoadOptions& options, std::string source,
               std::string sha) {
  Profile profile;
  profile.name = raw.name;
  profile.description = raw.description;
  profile.subject = raw.subject;
  profile.source = std::move(source);
  profile.sha256 = std::move(sha);
  VarExpander vars(varsWithOverrides(raw, options));
  if (options.on_unset_env) vars.onUnsetEnv(options.on_unset_env);
  profile.vars = vars.allValues();
  profile.checks.reserve(raw.checks.size());
  const Registry& probes = options.probes ? *options.probes : builtinRegistry();
  for (const auto& rawCheck : raw.checks) {
    Check check = buildCheck(rawCheck, vars, probes);
    check.origin = rawCheck.origin;
    profile.checks.push_back(std::move(check));
  }
  if (raw.onboarding.present()) profile.onboarding = readOnboarding(raw.onboarding, profile.vars);
  if (raw.stages.present()) profile.worker_gate = readWorkerGate(raw.stages, profile.vars);
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
    bool fromStdin = ref == "-";
    RawProfile layer = fromStdin ? loader.loadSource(stdinProfile(), {}) : loader.load(ref, "", {});
    names += (names.empty() ? "" : "+") + layer.name;
    std::string source = fromStdin                   ? std::string(kStdinProfile)
                         : looksLikeProfilePath(ref) ? ref
                                                     : "builtin:" + ref;
    sources += (sources.empty() ? "" : ",") + source;
    texts += loader.topText();
    merged.description = layer.description;
    if (!layer.subject.empty()) merged.subject = layer.subject;
    overlayProfile(merged, std::move(layer));
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
