// The request's free text and the fields it answers, against the farm's
// form as ../shared/reference/worker-requirements.md records it.
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include "checker/farm/request_answers.h"
#include "checker/farm/request_form.h"
#include "checker/profile/profile_loader.h"

namespace bbcheck {
namespace {

const char* kFarm = R"(format: 1
name: farm
vars: { owner: "", email: "", owner_username: "", owner_github: "", worker_name: "", buildarea: /nonexistent }
onboarding:
  form: https://github.com/python/buildmaster-config/issues/new
  fields:
    owner_username: { id: owner-username, label: Username }
    owner_github: { id: owner-github, label: GitHub username }
    special: { id: worker-special, label: "Anything special about the worker?" }
  tests_affected_by: [tag:ports, headers.]
  outbound: [tag:ports]
checks:
  - { id: dns.system, title: DNS answers, probe: cpu }
  - { id: net.ftp, title: Outbound FTP, probe: cpu, tags: [ports], needs: [dns.system] }
  - { id: net.http, title: Outbound HTTP, probe: cpu, tags: [ports], needs: [dns.system] }
  - { id: net.nntp, title: Outbound NNTP, probe: cpu, tags: [ports], severity: info, needs: [net.http] }
  - { id: headers.tk, title: tk.h compiles, probe: cpu, severity: recommended }
  - { id: headers.zlib, title: zlib.h compiles, probe: cpu }
)";

RunReport reportOf(const Profile& profile, const std::vector<Status>& statuses) {
  RunReport report;
  report.profile = &profile;
  report.host.arch = "x86_64";
  report.host.cpus = 2;
  for (size_t i = 0; i < statuses.size(); ++i) {
    CheckResult r;
    r.check = &profile.checks[i];
    r.status = statuses[i];
    report.results.push_back(r);
  }
  return report;
}

TEST(RequestText, OnlyRealFailuresBySeverityBlockedOnesUnderTheirCause) {
  Profile p = loadProfileText(kFarm, "farm.yaml");
  // DNS fails: the port checks are blocked, not firewalled.
  RunReport report = reportOf(p, {Status::Fail, Status::Blocked, Status::Blocked, Status::Blocked,
                                  Status::Fail, Status::Error});
  std::vector<std::string> items = testFailures(report, *p.onboarding);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0],
            "required: fails (dns.system): DNS answers; so 3 checks could not run: net.ftp, "
            "net.http, net.nntp");
  EXPECT_EQ(items[1], "required: could not be checked (headers.zlib): zlib.h compiles");
  EXPECT_EQ(items[2], "recommended: fails (headers.tk): tk.h compiles");
  RequestAnswers a = requestAnswers(report, *p.onboarding);
  std::string special;
  for (const auto& item : a.special) special += item + "\n";
  EXPECT_EQ(special.find("blocked ("), std::string::npos) << special;
}

TEST(RequestText, EveryTextFieldIsPrefilledOrMentioned) {
  Profile p = loadProfileText(kFarm, "farm.yaml", {{{"owner_github", "jane"}}, {}});
  RunReport report = reportOf(p, {Status::Pass});
  RequestAnswers a = requestAnswers(report, *p.onboarding);
  Poco::URI uri(requestUrl(a, *p.onboarding).url);
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : uri.getQueryParameters()) q[k] = v;
  EXPECT_EQ(q["owner-github"], "@jane");  // as the form's placeholder writes it
  EXPECT_NE(requestText(a, *p.onboarding).find("GitHub username: @jane\n"), std::string::npos);
  Profile unset = loadProfileText(kFarm, "farm.yaml");
  RunReport report2 = reportOf(unset, {Status::Pass});
  RequestAnswers b = requestAnswers(report2, *unset.onboarding);
  std::string notes;
  for (const auto& n : b.notes) notes += n + "\n";
  EXPECT_NE(notes.find("--set owner_github=NAME"), std::string::npos) << notes;
}

// The shipped farm profile: every text field of the form
// (worker-requirements.md's table) and all three password choices.
TEST(RequestText, TheShippedFormHasEveryFieldAndEveryPasswordChoice) {
  Profile p = loadProfiles({"python-buildbot"});
  ASSERT_TRUE(p.onboarding);
  std::set<std::string> ids;
  for (const auto& [name, field] : p.onboarding->fields) ids.insert(field.id);
  for (const char* id : {"owner-username", "owner-github", "owner-name", "owner-email",
                         "worker-arch", "worker-os", "worker-special"})
    EXPECT_TRUE(ids.count(id)) << id;
  EXPECT_EQ(p.onboarding->password.id, "owner-password");
  for (const char* choice : {"\"I need a new owner password\"", "\"I need a new worker password\"",
                             "\"I will use an existing owner password\""})
    EXPECT_NE(p.onboarding->password_advice.find(choice), std::string::npos) << choice;
}

}  // namespace
}  // namespace bbcheck
