#include "probes/toolchain/header.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "probes/process.h"
#include "probes/text.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::ScopedEnv;
using testing::TempDir;
namespace fs = std::filesystem;

Outcome runHeaderCheck(std::map<std::string, ParamValue> values,
                       Milliseconds timeout = Milliseconds(20000)) {
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return headerProbe().run(Params(std::move(values)), ctx);
}

// A header reachable only through a pkg-config file the test writes.
struct PrivateLibrary {
  TempDir dir;
  ScopedEnv pkgConfigPath{"PKG_CONFIG_PATH", dir.path() + "/pkgconfig"};
  std::string include = dir.path() + "/include";

  PrivateLibrary() {
    dir.write("include/bbcheck_mylib.h", "#define BBCHECK_MYLIB 1\n");
    dir.write("include/bbcheck_broken.h", "#error broken on purpose\n");
    dir.write("pkgconfig/mylib.pc",
              "Name: mylib\nDescription: bbcheck test library\n"
              "Version: 1.0\nCflags: -I" +
                  include + "\n");
  }
};

TEST(HeaderProbe, ZlibIsFoundAtAnExistingPath) {
  Outcome o = runHeaderCheck({{"name", std::string("zlib.h")}});
  ASSERT_EQ(o.status, Status::Pass)
      << o.message << " (Debian package zlib1g-dev must be installed)";
  std::string path = o.observed["path"].toString();
  EXPECT_TRUE(fs::is_regular_file(path)) << path;
  EXPECT_EQ(fs::path(path).filename(), "zlib.h");
  EXPECT_TRUE(contains(o.message, "zlib.h found at " + path + " by ")) << o.message;
  EXPECT_TRUE(fs::exists(o.observed["compiler_path"].toString()));
}

TEST(HeaderProbe, MadeUpHeaderFailsNamingThePackage) {
  Outcome o = runHeaderCheck({{"name", std::string("bbcheck_no_such.h")},
                              {"compiler", std::string("gcc")},
                              {"package", std::string("libbbcheck-dev")}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message,
            "bbcheck_no_such.h not found by gcc: fatal error: bbcheck_no_such.h: No such file or "
            "directory; install the Debian package libbbcheck-dev");
  EXPECT_EQ(o.expected["package"].toString(), "libbbcheck-dev");
  std::vector<std::string> searched;
  for (const auto& dir : o.observed["searched"].extract<Array>())
    searched.push_back(dir.toString());
  EXPECT_NE(std::find(searched.begin(), searched.end(), "/usr/include"), searched.end());
}

TEST(HeaderProbe, ClangFindsZlibAndReportsItsOwnError) {
  if (findOnPath("clang").empty()) GTEST_SKIP() << "clang is not installed (optional)";
  Outcome ok =
      runHeaderCheck({{"name", std::string("zlib.h")}, {"compiler", std::string("clang")}});
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_TRUE(fs::is_regular_file(ok.observed["path"].toString()));
  Outcome missing = runHeaderCheck(
      {{"name", std::string("bbcheck_no_such.h")}, {"compiler", std::string("clang")}});
  EXPECT_EQ(
      missing.message,
      "bbcheck_no_such.h not found by clang: fatal error: 'bbcheck_no_such.h' file not found");
}

TEST(HeaderProbe, HeaderFoundOnlyThroughPkgConfig) {
  PrivateLibrary lib;
  Outcome with = runHeaderCheck(
      {{"name", std::string("bbcheck_mylib.h")}, {"pkg_config", std::string("mylib")}});
  ASSERT_EQ(with.status, Status::Pass) << with.message;
  EXPECT_EQ(with.observed["path"].toString(), lib.include + "/bbcheck_mylib.h");
  ASSERT_EQ(with.observed["cflags"].size(), 1u);
  EXPECT_EQ(with.observed["cflags"][0].toString(), "-I" + lib.include);

  Outcome without = runHeaderCheck({{"name", std::string("bbcheck_mylib.h")}});
  EXPECT_EQ(without.status, Status::Fail);
  EXPECT_TRUE(contains(without.message, "bbcheck_mylib.h not found by")) << without.message;
}

TEST(HeaderProbe, UnknownPkgConfigPackageIsSaid) {
  Outcome found = runHeaderCheck(
      {{"name", std::string("zlib.h")}, {"pkg_config", std::string("bbcheck-no-such-pc")}});
  EXPECT_EQ(found.status, Status::Pass);
  EXPECT_TRUE(contains(found.message, "; pkg-config does not know bbcheck-no-such-pc"))
      << found.message;
  EXPECT_FALSE(found.observed["pkg_config_known"].convert<bool>());

  Outcome missing = runHeaderCheck({{"name", std::string("bbcheck_no_such.h")},
                                    {"pkg_config", std::string("bbcheck-no-such-pc")},
                                    {"package", std::string("libbbcheck-dev")}});
  EXPECT_EQ(missing.status, Status::Fail);
  EXPECT_TRUE(contains(missing.message,
                       "; pkg-config does not know bbcheck-no-such-pc; install the Debian package "
                       "libbbcheck-dev"))
      << missing.message;
}

TEST(HeaderProbe, HeaderThatDoesNotPreprocessFails) {
  PrivateLibrary lib;
  Outcome o = runHeaderCheck({{"name", std::string("bbcheck_broken.h")},
                              {"pkg_config", std::string("mylib")},
                              {"compiler", std::string("gcc")}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, "bbcheck_broken.h found at " + lib.include +
                           "/bbcheck_broken.h but gcc cannot preprocess it: " + lib.include +
                           "/bbcheck_broken.h:1:2: error: #error broken on purpose");
}

TEST(HeaderProbe, CxxHeadersNeedTheCxxCompiler) {
  Outcome cxx = runHeaderCheck({{"name", std::string("vector")}, {"language", std::string("c++")}});
  ASSERT_EQ(cxx.status, Status::Pass) << cxx.message;
  EXPECT_EQ(fs::path(cxx.observed["path"].toString()).filename(), "vector");
  Outcome c = runHeaderCheck({{"name", std::string("vector")}, {"compiler", std::string("gcc")}});
  EXPECT_EQ(c.status, Status::Fail);
}

TEST(HeaderProbe, NoCompilerIsAnError) {
  TempDir empty;
  ScopedEnv cc("CC", std::nullopt), path("PATH", empty.path());
  Outcome o = runHeaderCheck({{"name", std::string("zlib.h")}});
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_EQ(o.message, "cannot look for zlib.h: no C compiler found (tried $CC, gcc, cc, clang)");
}

TEST(HeaderProbe, HangingCompilerIsCutAtTheDeadline) {
  TempDir dir;
  std::string script = dir.write("hang-cc", "#!/bin/sh\nexec sleep 30\n");
  ::chmod(script.c_str(), 0755);
  auto start = Clock::now();
  Outcome o =
      runHeaderCheck({{"name", std::string("zlib.h")}, {"compiler", script}}, Milliseconds(500));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(o.status, Status::Error);
  // Then how busy the host was ("; it got 0.0 s of CPU in 0.5 s; load
  // average ..."), and a fix that installs nothing.
  EXPECT_EQ(
      o.message.rfind(
          script + " did not finish preprocessing zlib.h within the 500 ms timeout; it got ", 0),
      0u)
      << o.message;
  EXPECT_NE(o.message.find("load average"), std::string::npos) << o.message;
  EXPECT_NE(o.fix.find("--timeout"), std::string::npos) << o.fix;
}

TEST(HeaderProbe, ParsesTheTopLevelIncludeFromDashH) {
  std::string stderrText =
      ". /usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/foo/bar.h\n"
      ".. /usr/include/zconf.h\n"
      "Multiple include guards may be useful for:\n/usr/include/x.h\n";
  EXPECT_EQ(includedHeaderPath(stderrText, "foo/bar.h"), "/usr/include/foo/bar.h");
  EXPECT_EQ(includedHeaderPath(".. /usr/include/zconf.h\n", "zconf.h"), "");
}

TEST(HeaderProbe, AnInstalledPackageIsNotAdvisedAgain) {
  // (One "ii " per architecture it is installed for: a multiarch host, such
  // as scripts/cross's build root, may have it twice.)
  std::string status =
      testing::runCommand("dpkg-query", {"-W", "-f=${db:Status-Abbrev}", "zlib1g-dev"}).out;
  ASSERT_EQ(status.substr(0, 3), "ii ") << "ground truth: zlib1g-dev is installed here";
  // zlib.h is installed, but this compiler does not search /usr/include.
  Outcome o = runHeaderCheck({{"name", std::string("zlib.h")},
                              {"compiler", std::string("gcc -nostdinc")},
                              {"package", std::string("zlib1g-dev")}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "the Debian package zlib1g-dev is installed, so installing it cannot "
                       "help: look at what gcc -nostdinc searches"))
      << o.message;
  EXPECT_FALSE(contains(o.message, "install the Debian package")) << o.message;
}

}  // namespace
}  // namespace bbcheck
