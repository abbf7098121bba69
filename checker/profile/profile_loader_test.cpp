#include "checker/profile/profile_loader.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "checker/profile/vars.h"
#include "probes/param_binding.h"
#include "probes/registry.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::TempDir;

const Check& find(const Profile& p, const std::string& id) {
  for (const auto& c : p.checks)
    if (c.id == id) return c;
  throw std::runtime_error("no check " + id);
}

// Loads text expecting a ProfileError; returns it.
ProfileError loadError(const std::string& text, const LoadOptions& options = {}) {
  try {
    loadProfileText(text, "mem.yaml", options);
  } catch (const ProfileError& e) {
    return e;
  }
  ADD_FAILURE() << "profile loaded without error:\n" << text;
  return ProfileError({}, "");
}

TEST(ProfileLoader, ReadsEveryFieldOfACheck) {
  Profile p = loadProfileText(R"(format: 1
name: demo
description: Demo profile
vars: { cpus: 3 }
defaults: { timeout: 750ms, severity: recommended }
checks:
  - id: resources.cpus
    title: At least ${cpus} CPUs
    probe: cpu
    with: { min: "${cpus}" }
    severity: required
    tags: [resources, quick]
    why: Tests run in parallel.
    fix: Give the VM ${cpus} vCPUs.
    docs: https://example.invalid/doc
    timeout: 2s
  - id: resources.other
    probe: cpu
    needs: resources.cpus
)",
                              "mem.yaml");
  EXPECT_EQ(p.name, "demo");
  EXPECT_EQ(p.description, "Demo profile");
  EXPECT_EQ(p.sha256.size(), 64u);
  ASSERT_EQ(p.checks.size(), 2u);
  const Check& c = p.checks[0];
  EXPECT_EQ(c.title, "At least 3 CPUs");
  EXPECT_EQ(c.params.integer("min"), 3);
  EXPECT_EQ(c.severity, Severity::Required);
  EXPECT_EQ(c.tags, (std::vector<std::string>{"resources", "quick"}));
  EXPECT_EQ(c.fix, "Give the VM 3 vCPUs.");
  EXPECT_EQ(c.timeout, Milliseconds(2000));
  EXPECT_EQ(c.pos.line, 7);
  EXPECT_EQ(c.pos.column, 5);
  const Check& d = p.checks[1];
  EXPECT_EQ(d.title, "resources.other");         // the id when no title
  EXPECT_EQ(d.severity, Severity::Recommended);  // from defaults
  EXPECT_EQ(d.timeout, Milliseconds(750));
  EXPECT_EQ(d.needs, std::vector<std::string>{"resources.cpus"});
  EXPECT_EQ(d.params.integer("min"), 1);  // the parameter's default
}

TEST(ProfileLoader, SetOverridesVarsAndUnknownSetIsAnError) {
  const char* text =
      "format: 1\nname: p\nvars: { cpus: 2 }\nchecks:\n  - id: a\n    probe: cpu\n    with: { min: "
      "\"${cpus}\" }\n";
  LoadOptions options;
  options.overrides["cpus"] = "5";
  EXPECT_EQ(loadProfileText(text, "mem.yaml", options).checks[0].params.integer("min"), 5);
  options.overrides = {{"cpu", "5"}};
  ProfileError e = loadError(text, options);
  EXPECT_EQ(e.message(), "--set cpu: profile p has no var 'cpu' (vars: cpus)");
  // A value given with --set is validated like one in the file.
  options.overrides = {{"cpus", "many"}};
  e = loadError(text, options);
  EXPECT_EQ(e.pos().line, 7);
  EXPECT_NE(e.message().find("expected a whole number, got 'many'"), std::string::npos);
}

TEST(ProfileLoader, RequiredVarMustBeSet) {
  const char* text = "format: 1\nname: p\nvars:\n  master: ~\nchecks: []\n";
  ProfileError e = loadError(text);
  EXPECT_EQ(std::string(e.what()),
            "mem.yaml:4:3: var 'master' has no value: set it with --set master=VALUE");
  LoadOptions options;
  options.overrides["master"] = "127.0.0.1:9989";
  EXPECT_EQ(loadProfileText(text, "mem.yaml", options).vars.at("master"), "127.0.0.1:9989");
}

TEST(ProfileLoader, EnvironmentAndOtherVarsInVarValues) {
  ::setenv("BBCHECK_TEST_CPUS", "4", 1);
  Profile p = loadProfileText(
      "format: 1\nname: p\nvars: { a: \"${env:BBCHECK_TEST_CPUS}\", b: \"${a}\" }\nchecks:\n"
      "  - id: x\n    probe: cpu\n    with: { min: \"${b}\" }\n",
      "mem.yaml");
  EXPECT_EQ(p.checks[0].params.integer("min"), 4);
  ::unsetenv("BBCHECK_TEST_CPUS");
}

TEST(ProfileLoader, ExtendsMergesOverridesAndDrops) {
  TempDir dir;
  dir.write("parent.yaml", R"(format: 1
name: parent
vars: { n: 1, label: parent }
defaults: { timeout: 5s }
checks:
  - id: a
    title: a from ${label}
    probe: cpu
  - id: b
    probe: cpu
  - id: c
    probe: cpu
)");
  std::string child = dir.write("sub/child.yaml", R"(format: 1
name: child
extends: [../parent.yaml]
drop: [b]
vars: { label: child }
defaults: { timeout: 1s }
checks:
  - id: c
    severity: info
  - id: d
    probe: cpu
)");
  Profile p = loadProfiles({child});
  ASSERT_EQ(p.checks.size(), 3u);
  EXPECT_EQ(p.checks[0].id, "a");
  EXPECT_EQ(p.checks[0].title, "a from child");  // a child's vars reach the parent's checks
  EXPECT_EQ(p.checks[0].timeout,
            Milliseconds(5000));  // defaults stay with the profile that wrote the check
  EXPECT_EQ(p.checks[0].origin, "parent");
  EXPECT_EQ(p.checks[1].id, "c");  // overridden in place
  EXPECT_EQ(p.checks[1].severity, Severity::Info);
  EXPECT_EQ(p.checks[1].probe, "cpu");
  EXPECT_EQ(p.checks[2].id, "d");
  EXPECT_EQ(p.checks[2].timeout, Milliseconds(1000));
  EXPECT_EQ(p.checks[2].origin, "child");
  EXPECT_EQ(p.source, child);
}

TEST(ProfileLoader, ExtendsCycleThroughTwoFilesIsAnError) {
  TempDir dir;
  dir.write("one.yaml", "format: 1\nname: one\nextends: [two.yaml]\n");
  std::string two = dir.write("two.yaml", "format: 1\nname: two\nextends: [one.yaml]\n");
  try {
    loadProfiles({two});
    FAIL() << "no error";
  } catch (const ProfileError& e) {
    EXPECT_NE(e.message().find("extends cycle: "), std::string::npos) << e.what();
    EXPECT_EQ(e.pos().file, dir.path() + "/one.yaml");
    EXPECT_EQ(e.pos().line, 3);
  }
}

TEST(ProfileLoader, SeveralProfilesLayerInOrder) {
  TempDir dir;
  std::string first =
      dir.write("first.yaml", "format: 1\nname: first\nchecks:\n  - id: a\n    probe: cpu\n");
  std::string second =
      dir.write("second.yaml",
                "format: 1\nname: second\nchecks:\n  - id: a\n    severity: info\n    probe: cpu\n"
                "  - id: b\n    probe: cpu\n");
  Profile p = loadProfiles({first, second});
  EXPECT_EQ(p.name, "first+second");
  ASSERT_EQ(p.checks.size(), 2u);
  EXPECT_EQ(p.checks[0].severity, Severity::Info);
}

TEST(ProfileLoader, PathParametersExpandTilde) {
  // Any Path parameter will do, so this uses a probe kind of its own, in a
  // registry of its own.
  struct PathParams {
    std::string path;
  };
  Registry probes({probeKind(
      "test-path", "a path parameter", {pathParam("path", &PathParams::path, "a path").required()},
      +[](const PathParams&, const ProbeContext&) { return Outcome::pass("ok"); })});
  LoadOptions options;
  options.probes = &probes;
  std::string oldHome = std::getenv("HOME") ? std::getenv("HOME") : "";
  ::setenv("HOME", "/home/volunteer", 1);
  Profile p = loadProfileText(
      "format: 1\nname: p\nvars: { area: ~/buildarea }\nchecks:\n  - id: a\n    probe: test-path\n"
      "    with: { path: \"${area}\" }\n",
      "mem.yaml", options);
  ::setenv("HOME", oldHome.c_str(), 1);
  EXPECT_EQ(p.checks[0].params.text("path"), "/home/volunteer/buildarea");
}

TEST(ProfileLoader, PlatformsWhenAndUnlessMarkChecksNotApplicable) {
  Profile p = loadProfileText(R"(format: 1
name: p
vars: { allow_root: "false" }
checks:
  - id: win
    probe: cpu
    platforms: [windows]
  - id: here
    probe: cpu
    platforms: [linux, darwin]
  - id: only-when
    probe: cpu
    when: ${allow_root}
  - id: unless-root
    probe: cpu
    unless: ${allow_root}
)",
                              "mem.yaml");
  EXPECT_EQ(find(p, "win").not_applicable, "not applicable on linux: only on windows");
  EXPECT_EQ(find(p, "here").not_applicable, "");
  // A var is named as one, with how to change it: no unexpanded ${...}.
  EXPECT_EQ(find(p, "only-when").not_applicable,
            "not applicable: allow_root is false (it applies with --set allow_root=true)");
  EXPECT_EQ(find(p, "unless-root").not_applicable, "");
}

TEST(ProfileLoader, ErrorsNameTheirPosition) {
  ProfileError e = loadError("format: 1\nname: p\nchecks:\n  - id: a\n    probe: nope\n");
  EXPECT_EQ(e.pos().file, "mem.yaml");
  EXPECT_EQ(e.pos().line, 5);
  EXPECT_EQ(e.pos().column, 12);
  EXPECT_EQ(std::string(e.what()).rfind("mem.yaml:5:12: unknown probe kind 'nope' (known: ", 0), 0u)
      << e.what();

  e = loadError(
      "format: 1\nname: p\nchecks:\n  - id: a\n    probe: cpu\n    with: {}\n  - id: b\n    probe: "
      "cpu\n"
      "    needs: [zz]\n");
  EXPECT_EQ(std::string(e.what()),
            "mem.yaml:7:5: check 'b' needs 'zz', which is not a check of this profile");
}

// The buildmaster probe's build area is only where it reads buildbot.tac
// when no address is given: a profile that writes the address needs no
// buildarea var. Without an address it still needs a master var.
TEST(ProfileLoader, BuildmasterWithAWrittenAddressNeedsNoBuildareaVar) {
  Profile p = loadProfiles({testing::sourceDir() + "/tests/profiles/good/master_address.yaml"});
  const Check& master = find(p, "master.pb");
  EXPECT_EQ(master.params.text("address"), "127.0.0.1:9989");
  EXPECT_FALSE(master.params.has("buildarea"));
  EXPECT_EQ(loadError("format: 1\nname: p\nchecks:\n  - id: m\n    probe: buildmaster\n").message(),
            "parameter 'address' of probe buildmaster defaults to ${master}: unknown var 'master' "
            "(declared: none)");
}

// ${name:-text}: `text` when the value is empty (master: "" means "read it
// from buildbot.tac", but a message wants a placeholder).
TEST(ProfileLoader, AVarFallbackStandsForAnEmptyValue) {
  ::unsetenv("BBCHECK_TEST_UNSET");
  Profile p = loadProfileText(
      "format: 1\nname: p\nvars: { master: '', area: /srv }\nchecks:\n  - id: a\n    probe: cpu\n"
      "    title: '${master:-MASTERHOST:PORT} ${area:-AREA} ${env:BBCHECK_TEST_UNSET:-none} "
      "${master:-$x}'\n",
      "mem.yaml");
  EXPECT_EQ(p.checks[0].title, "MASTERHOST:PORT /srv none $x");
  EXPECT_EQ(std::string(loadError("format: 1\nname: p\nvars: { master: '' }\nchecks:\n  - id: a\n"
                                  "    probe: cpu\n    title: '${mastr:-x}'\n")
                            .what()),
            "mem.yaml:7:12: unknown var 'mastr' (declared: master)");
}

const char* kGated = R"(format: 1
name: gated
vars: { area: /srv/area, who: "" }
stages:
  worker:
    requires: ${area}/ready
    missing: no area at ${area} yet
    next_step: make it, ${who:-SOMEONE}
checks: []
)";

TEST(ProfileLoader, TheWorkerGateHasVarsSubstituted) {
  Profile p = loadProfileText(kGated, "mem.yaml");
  ASSERT_TRUE(p.worker_gate);
  EXPECT_EQ(p.worker_gate->path, "/srv/area/ready");
  EXPECT_EQ(p.worker_gate->missing, "no area at /srv/area yet");
  EXPECT_EQ(p.worker_gate->next_step, "make it, SOMEONE");
}

// The shipped profiles' gate: the path with "~" expanded, the texts as the
// engine wrote them before profiles declared them.
TEST(ProfileLoader, TheShippedWorkerGateIsTheBuildArea) {
  Profile p = loadProfiles({"buildbot-worker"});
  ASSERT_TRUE(p.worker_gate);
  EXPECT_EQ(p.worker_gate->path, expandHome("~/buildarea") + "/buildbot.tac");
  EXPECT_EQ(p.worker_gate->missing, "no build area at ~/buildarea yet");
  EXPECT_EQ(p.worker_gate->next_step,
            "after your request is accepted: buildbot-worker create-worker ~/buildarea "
            "MASTERHOST:PORT WORKERNAME PASSWORD");
  LoadOptions options;
  options.overrides = {{"buildarea", ""}};
  EXPECT_EQ(loadProfiles({"buildbot-worker"}, options).worker_gate->missing,
            "no build area at BUILDAREA yet");
}

TEST(ProfileLoader, ChildrenInheritTheWorkerGateOrLiftIt) {
  Profile python = loadProfiles({"python-buildbot"});
  ASSERT_TRUE(python.worker_gate);
  EXPECT_EQ(python.worker_gate->next_step,
            "after your request is accepted: buildbot-worker create-worker ~/buildarea "
            "buildbot-api.python.org:9020 WORKERNAME PASSWORD");
  EXPECT_TRUE(loadProfiles({"worker-image"}).worker_gate);
  TempDir dir;
  dir.write("parent.yaml", kGated);
  std::string child =
      dir.write("child.yaml", "format: 1\nname: child\nextends: [parent.yaml]\nvars: {who: me}\n");
  EXPECT_EQ(loadProfiles({child}).worker_gate->next_step, "make it, me");
  std::string lifted = dir.write(
      "lifted.yaml", "format: 1\nname: lifted\nextends: [parent.yaml]\nstages: { worker: ~ }\n");
  EXPECT_FALSE(loadProfiles({lifted}).worker_gate);
  EXPECT_FALSE(loadProfileText("format: 1\nname: p\nchecks: []\n", "mem.yaml").worker_gate);
}

TEST(ProfileLoader, StagesMistakesArePositioned) {
  auto errorOf = [](const std::string& text) { return std::string(loadError(text).what()); };
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages:\n  host: { requires: /x }\n"),
            "mem.yaml:4:3: unknown key 'host' in stages (allowed: worker)");
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages: [worker]\n"),
            "mem.yaml:3:9: 'stages' must be a mapping");
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages:\n  worker: { missing: x }\n"),
            "mem.yaml:4:11: stages.worker has no 'requires'");
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages:\n  worker: { requires: /x, next: y }\n"),
            "mem.yaml:4:27: unknown key 'next' in stages.worker (allowed: requires, missing, "
            "next_step, for_each_worker)");
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages:\n  worker: { requires: [/x] }\n"),
            "mem.yaml:4:23: 'requires' in stages.worker must be a single value");
  EXPECT_EQ(errorOf("format: 1\nname: p\nstages:\n  worker: { requires: '${area}/x' }\n"),
            "mem.yaml:4:23: unknown var 'area' (declared: none)");
}

TEST(ProfileLoader, BuiltinProfilesLoad) {
  for (const auto& name : builtinProfileNames()) {
    LoadOptions options;
    EXPECT_NO_THROW(loadProfiles({name}, options)) << name;
  }
}

}  // namespace
}  // namespace bbcheck
