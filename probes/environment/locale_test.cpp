#include "probes/environment/locale.h"

#include <gtest/gtest.h>

#include "tests/in_child.h"
#include "tests/mount_testing.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

Outcome runLocaleProbe() {
  return localeProbe().run(Params{}, ProbeContext{});
}

// Runs the probe in a child whose environment names only LANG=`lang` (or
// nothing), so the test's own environment does not leak in.
testing::ChildOutcome runWithLang(
    const std::string& lang, const std::function<void()>& setup = [] {}) {
  return testing::runInChild([&] {
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_CTYPE");
    if (lang.empty())
      ::unsetenv("LANG");
    else
      ::setenv("LANG", lang.c_str(), 1);
    setup();
    return runLocaleProbe();
  });
}

TEST(LocaleProbe, Utf8Spellings) {
  EXPECT_TRUE(isUtf8Codeset("UTF-8"));
  EXPECT_TRUE(isUtf8Codeset("utf8"));
  EXPECT_FALSE(isUtf8Codeset("ISO-8859-1"));
  EXPECT_FALSE(isUtf8Codeset("ANSI_X3.4-1968"));
}

TEST(LocaleProbe, UnsetMeansCUtf8WhichDebianShips) {
  auto r = runWithLang("");
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_EQ(r.outcome.observed["locale"].toString(), "C.UTF-8");
  EXPECT_EQ(r.outcome.observed["codeset"].toString(), "UTF-8");
}

TEST(LocaleProbe, ALocaleThatIsNotGeneratedFails) {
  auto r = runWithLang("de_AT.UTF-8");  // not generated on the test machine
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("LANG=de_AT.UTF-8"), std::string::npos) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("cannot load"), std::string::npos) << r.outcome.message;
}

TEST(LocaleProbe, LcAllWinsOverLang) {
  testing::ScopedEnv lcAll("LC_ALL", "C.UTF-8");
  testing::ScopedEnv lang("LANG", "de_AT.UTF-8");
  Outcome o = runLocaleProbe();
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["variable"].toString(), "LC_ALL");
}

TEST(LocaleProbe, WithoutTheCUtf8LocaleFilesUnsetFails) {
  // An empty /usr/lib/locale: C.UTF-8 is not built into glibc, it is a file.
  auto r = runWithLang("", [] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/usr/lib/locale");
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("C.UTF-8"), std::string::npos) << r.outcome.message;
}

TEST(LocaleProbe, ALatin1LocaleLoadsButFails) {
  // A real ISO-8859-1 locale compiled with localedef into a private LOCPATH.
  testing::TempDir dir;
  testing::CommandResult made = testing::runCommand(
      "localedef", {"-i", "en_US", "-f", "ISO-8859-1", dir.path() + "/en_US.ISO-8859-1"});
  // localedef's sources come from Debian's `locales` (scripts/install-deps
  // test installs it); exit 1 is a warning, the locale is still written.
  ASSERT_TRUE(made.exit_code == 0 || made.exit_code == 1) << "localedef: " << made.err;
  auto r = testing::runInChild([&] {
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_CTYPE");
    ::setenv("LOCPATH", dir.path().c_str(), 1);
    ::setenv("LANG", "en_US.ISO-8859-1", 1);
    return runLocaleProbe();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_EQ(r.outcome.observed["codeset"].toString(), "ISO-8859-1");
  EXPECT_NE(r.outcome.message.find("not UTF-8"), std::string::npos) << r.outcome.message;
}

}  // namespace
}  // namespace bbcheck
