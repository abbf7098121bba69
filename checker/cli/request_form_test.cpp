#include "checker/farm/request_form.h"

#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <set>

#include "checker/cli/command_request.h"
#include "checker/profile/profile_loader.h"
#include "probes/utf8_text.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

// python-buildbot's form, over a small profile of the same shape.
class RequestFormTest : public ::testing::Test {
 protected:
  void load(const std::map<std::string, std::string>& sets = {}) {
    profile_ = loadProfileText(R"(format: 1
name: farm
vars: { owner: "", email: "", owner_username: "", worker_name: "", buildarea: /nonexistent }
onboarding:
  form: https://github.com/python/buildmaster-config/issues/new
  template: new_worker.yml
  title: "New worker request: {worker}"
  fields:
    owner_username: { id: owner-username, label: Username }
    owner_name: { id: owner-name, label: Name }
    owner_email: { id: owner-email, label: Email address }
    architecture: { id: worker-arch, label: Processor architecture }
    operating_system: { id: worker-os, label: Operating System }
    special: { id: worker-special, label: "Anything special about the worker?" }
  password: { id: owner-password, label: Password status, advice: "\"I need a new owner password\"" }
  tests_affected_by: [tag:ports, headers.]
  outbound: [tag:ports]
  exclude_when_offline: [urlfetch, network]
  entry: { file: master/custom/workers.py, call: cpw }
checks:
  - { id: net.http, title: Outbound HTTP, probe: cpu, tags: [ports] }
  - { id: headers.tk, title: tk.h compiles, probe: cpu, severity: recommended }
  - { id: security.groups, title: No privileged groups, probe: cpu, severity: recommended }
)",
                               "farm.yaml", {sets, {}});
    report_ = RunReport();
    report_.profile = &profile_;
    report_.host.arch = "x86_64";
    report_.host.os = "Debian GNU/Linux";
    report_.host.os_version = "12";
    report_.host.os_id = "debian";
    report_.host.os_codename = "bookworm";
    report_.host.cpus = 8;
    report_.host.memory_bytes = 64LL << 30;
    report_.host.uid = 1000;
    report_.host.virtualization = "docker";
    report_.host.compilers = {{"cc", "c", "/usr/lib/llvm-14/bin/clang", "14.0.6", "x86_64"},
                              {"gcc", "c", "/usr/bin/gcc", "12.2.0", "x86_64"}};
    report_.results = {{&profile_.checks[0], Status::Pass, "", {}, {}, 0},
                       {&profile_.checks[1], Status::Pass, "", {}, {}, 0},
                       {&profile_.checks[2], Status::Fail, "in sudo", {}, {}, 0}};
  }

  std::map<std::string, std::string> query(const std::string& url) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : Poco::URI(url).getQueryParameters()) out[k] = v;
    return out;
  }

  Profile profile_;
  RunReport report_;
};

// uname -m on each Linux the farm runs -> the form's worker-arch and the
// workers.py entry's architecture tags (reference/worker-requirements.md).
TEST_F(RequestFormTest, NamesTheArchitectureAsTheFarmTagsIt) {
  struct Case {
    std::string machine, formArch;
    std::vector<std::string> archTags;
  };
  const std::vector<Case> cases = {
      {"x86_64", "amd64", {"amd64"}},      {"aarch64", "arm64", {"arm64", "aarch64"}},
      {"armv7l", "armv7l", {"armv7l"}},    {"i686", "x86", {"x86"}},
      {"ppc64le", "ppc64le", {"ppc64le"}}, {"s390x", "s390x", {"s390x"}}};
  const std::set<std::string> allArchTags = {"amd64",  "x86",     "arm",   "arm64",  "aarch64",
                                             "armv7l", "ppc64le", "s390x", "riscv64"};
  for (const Case& c : cases) {
    load({{"owner", "Jane"}, {"email", "jane@example.org"}, {"owner_username", "jane"}});
    report_.host.arch = c.machine;
    RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
    auto q = query(requestUrl(a, *profile_.onboarding).url);
    EXPECT_EQ(q["worker-arch"], c.formArch) << c.machine;
    std::vector<std::string> archTags;
    for (const auto& tag : a.tags)
      if (allArchTags.count(tag)) archTags.push_back(tag);
    EXPECT_EQ(archTags, c.archTags) << c.machine;
  }
}

TEST_F(RequestFormTest, FillsEveryPrefillableFieldFromTheFacts) {
  load({{"owner", "Jane Volunteer"}, {"email", "jane@example.org"}, {"owner_username", "jane"}});
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  RequestUrl url = requestUrl(a, *profile_.onboarding);
  EXPECT_TRUE(url.notes.empty());
  auto q = query(url.url);
  EXPECT_EQ(q["template"], "new_worker.yml");
  EXPECT_EQ(q["title"], "New worker request: jane-debian12-amd64");
  EXPECT_EQ(q["worker-arch"], "amd64");
  EXPECT_EQ(q["worker-os"], "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(q["owner-name"], "Jane Volunteer");
  EXPECT_EQ(q["owner-email"], "jane at example dot org");
  EXPECT_EQ(q["owner-username"], "jane");
  EXPECT_EQ(q.count("owner-password"), 0u);
  EXPECT_NE(q["worker-special"].find("- 8 CPUs\n- 64.0 GiB RAM"), std::string::npos)
      << q["worker-special"];
  EXPECT_NE(q["worker-special"].find("- runs as an unprivileged user (not root)"),
            std::string::npos);
  // A recommended failure that changes no test is not the farm's business.
  EXPECT_EQ(q["worker-special"].find("security.groups"), std::string::npos);
  EXPECT_EQ(workerEntry(a, *profile_.onboarding),
            "cpw(name=\"jane-debian12-amd64\", tags=[\"linux\", \"unix\", \"debian\", \"amd64\", "
            "\"bigmem\", \"docker\", \"clang\"], parallel_tests=8)");
  EXPECT_TRUE(a.notes.empty());
  std::string text = requestText(a, *profile_.onboarding);
  EXPECT_NE(text.find("Username: jane\nName: Jane Volunteer\nEmail address: jane at example dot "
                      "org\nPassword status: (a choice the form cannot prefill) \"I need a new "
                      "owner password\"\nProcessor architecture: amd64\n"),
            std::string::npos)
      << text;
}

TEST_F(RequestFormTest, FailedOutboundChecksExcludeTheNetworkTests) {
  load();
  report_.results[0].status = Status::Error;
  report_.results[1].status = Status::Fail;
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  EXPECT_EQ(workerEntry(a, *profile_.onboarding),
            "cpw(name=\"OWNER-debian12-amd64\", tags=[\"linux\", \"unix\", \"debian\", "
            "\"amd64\", \"bigmem\", \"docker\", \"clang\"], parallel_tests=8, "
            "exclude_test_resources=[\"urlfetch\", \"network\"])");
  std::string special = workerRequestOf(a).special;
  EXPECT_NE(special.find("could not be checked (net.http): Outbound HTTP"), std::string::npos)
      << special;
  EXPECT_NE(special.find("fails (headers.tk): tk.h compiles"), std::string::npos);
  EXPECT_NE(special.find("exclude the test resources urlfetch, network"), std::string::npos);
  // What the volunteer still has to give.
  ASSERT_EQ(a.notes.size(), 3u);
  EXPECT_NE(a.notes[2].find("--set owner_username=NAME"), std::string::npos);
}

TEST_F(RequestFormTest, OutboundChecksThatDidNotRunAreSaid) {
  load();
  report_.results[0].status = Status::Skip;
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  EXPECT_TRUE(a.exclude_test_resources.empty());
  EXPECT_NE(a.notes.front().find("the outbound network checks did not run"), std::string::npos);
}

TEST_F(RequestFormTest, TheUrlStaysUnderItsLimitAndSaysWhatWasShortened) {
  load({{"owner", "Jane Volunteer"}, {"owner_username", "jane"}});
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  for (int i = 0; i < 300; ++i)
    a.special.push_back("a fact that takes room in the URL " + std::to_string(i));
  RequestUrl url = requestUrl(a, *profile_.onboarding);
  EXPECT_LE(url.url.size(), kMaxRequestUrlBytes);
  EXPECT_GT(url.url.size(), kMaxRequestUrlBytes - 200);  // shortened no more than needed
  ASSERT_EQ(url.notes.size(), 1u);
  EXPECT_NE(url.notes[0].find("was shortened to keep the URL under 8000 bytes"), std::string::npos);
  auto q = query(url.url);
  EXPECT_NE(q["worker-special"].find("- 8 CPUs"), std::string::npos);  // the first items stay
  EXPECT_NE(q["worker-special"].find("(shortened to fit the URL"), std::string::npos);
  EXPECT_EQ(q["owner-name"], "Jane Volunteer");
  // Tighter still: the typed answers go, longest first, then the title.
  RequestUrl tight = requestUrl(a, *profile_.onboarding, 250);
  EXPECT_LE(tight.url.size(), 250u) << tight.url;
  auto t = query(tight.url);
  EXPECT_EQ(t.count("owner-name"), 0u);
  EXPECT_EQ(t["worker-arch"], "amd64");
  EXPECT_EQ(t["worker-os"], "Debian GNU/Linux 12 (bookworm)");
  std::string notes;
  for (const auto& n : tight.notes) notes += n + "\n";
  EXPECT_NE(notes.find("\"Name\" was left out to keep the URL under 250 bytes"), std::string::npos)
      << notes;
}

TEST_F(RequestFormTest, OwnerFromAnEditedInfoAdminButNotTheTemplate) {
  testing::TempDir area;
  area.write("info/admin", "Your Name Here <admin@youraddress.invalid>\n");
  load({{"buildarea", area.path()}});
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  EXPECT_EQ(a.answers["owner_name"], "");
  area.write("info/admin", "Jane \x1b[31mVolunteer <jane@example.org>\nmore\n");
  a = requestAnswers(report_, *profile_.onboarding);
  EXPECT_EQ(a.answers["owner_name"], "Jane  [31mVolunteer");  // no control character survives
  EXPECT_EQ(a.answers["owner_email"], "jane at example dot org");
  load({{"buildarea", area.path()}, {"owner", "J. V."}, {"worker_name", "jv/../x y"}});
  a = requestAnswers(report_, *profile_.onboarding);
  EXPECT_EQ(a.answers["owner_name"], "J. V.");
  EXPECT_EQ(a.worker_name, "jv-..-x-y");  // a worker name is a path and URL part
}

TEST_F(RequestFormTest, LongAnswersAreCutBetweenCharactersAndControlsEscaped) {
  std::string accented;
  for (int i = 0; i < 150; ++i) accented += "\xc3\xa9";  // é, two bytes each
  // One ASCII letter first: byte 200 falls inside an é.
  load({{"owner", "a" + accented},
        {"owner_username",
         "jane\xc2\x9b"
         "31m"}});
  RequestAnswers a = requestAnswers(report_, *profile_.onboarding);
  const std::string& name = a.answers["owner_name"];
  EXPECT_EQ(name.size(), 199u) << "cut before the é that byte 200 is in";
  EXPECT_EQ(firstInvalidUtf8(name), std::string::npos) << name;
  // A C1 CSI is as good as ESC to a terminal: shown as an escape.
  EXPECT_EQ(a.answers["owner_username"], "jane\\u009b31m");
  EXPECT_EQ(requestText(a, *profile_.onboarding).find("\xc2\x9b"), std::string::npos);
}

TEST(RequestForm, EmailWrittenAsTheFormAsks) {
  EXPECT_EQ(obfuscateEmail("jane@mail.example.org"), "jane at mail dot example dot org");
  EXPECT_EQ(obfuscateEmail("jane at example dot org"), "jane at example dot org");
}

TEST(Onboarding, MistakesNameTheirPlace) {
  auto error = [](const std::string& section) {
    try {
      loadProfileText(
          "format: 1\nname: p\nonboarding:\n" + section + "checks:\n  - {id: a, probe: cpu}\n",
          "p.yaml");
    } catch (const ProfileError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error("  form: https://x.org/new\n"), "accepted");
  EXPECT_NE(error("  form: https://x.org/new\n  colour: red\n")
                .find("p.yaml:5:3: unknown key 'colour' in onboarding"),
            std::string::npos);
  EXPECT_NE(error("  template: t.yml\n").find("p.yaml:4:3: onboarding has no 'form'"),
            std::string::npos)
      << error("  template: t.yml\n");
  EXPECT_NE(error("  form: ftp://x.org\n").find("is not an http(s) URL"), std::string::npos);
  EXPECT_NE(error("  form: https://x.org\n  fields: { shoe_size: {id: s, label: S} }\n")
                .find("unknown key 'shoe_size' in onboarding fields"),
            std::string::npos);
  EXPECT_NE(error("  form: https://x.org\n  fields: { special: {id: s} }\n")
                .find("onboarding field special has no 'label'"),
            std::string::npos);
  EXPECT_NE(error("  form: https://x.org\n  entry: { call: \"os.system('x')\" }\n")
                .find("is not a Python name"),
            std::string::npos);
  EXPECT_NE(error("  form: https://x.org\n  exclude_when_offline: [\"a\\\"b\"]\n")
                .find("is not a plain name"),
            std::string::npos);
}

}  // namespace
}  // namespace bbcheck
