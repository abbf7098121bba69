#include "probes/toolchain/library.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::ScopedEnv;
using testing::TempDir;

Outcome runLibraryCheck(std::map<std::string, ParamValue> values,
                        Milliseconds timeout = Milliseconds(20000)) {
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return libraryProbe().run(Params(std::move(values)), ctx);
}

std::vector<std::string> flagsOf(const Outcome& o) {
  std::vector<std::string> flags;
  for (const auto& f : o.observed["flags"].extract<Array>()) flags.push_back(f.toString());
  return flags;
}

TEST(LibraryProbe, ZlibLinksAndHasItsFunctions) {
  Outcome plain = runLibraryCheck({{"name", std::string("z")}});
  ASSERT_EQ(plain.status, Status::Pass) << plain.message << " (needs zlib1g-dev)";
  EXPECT_EQ(flagsOf(plain), std::vector<std::string>{"-lz"});
  EXPECT_TRUE(contains(plain.message, " links -lz")) << plain.message;

  Outcome symbol =
      runLibraryCheck({{"name", std::string("z")}, {"symbol", std::string("zlibVersion")}});
  EXPECT_EQ(symbol.status, Status::Pass) << symbol.message;
  EXPECT_TRUE(contains(symbol.message, "links -lz (calling zlibVersion)")) << symbol.message;

  Outcome cxx = runLibraryCheck({{"name", std::string("z")},
                                 {"symbol", std::string("zlibVersion")},
                                 {"language", std::string("c++")}});
  EXPECT_EQ(cxx.status, Status::Pass) << cxx.message;
}

TEST(LibraryProbe, MissingSymbolFailsWithTheLinkersError) {
  Outcome o = runLibraryCheck({{"name", std::string("z")},
                               {"symbol", std::string("bbcheck_no_such_function")},
                               {"compiler", std::string("gcc")}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message,
            "gcc cannot link -lz (calling bbcheck_no_such_function): undefined reference to "
            "`bbcheck_no_such_function'");
}

TEST(LibraryProbe, MadeUpLibraryFailsNamingThePackage) {
  Outcome o = runLibraryCheck({{"name", std::string("bbcheck_no_such_lib")},
                               {"compiler", std::string("gcc")},
                               {"package", std::string("libbbcheck-dev")}});
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_TRUE(contains(o.message, "gcc cannot link -lbbcheck_no_such_lib: ")) << o.message;
  EXPECT_TRUE(contains(o.message, "cannot find -lbbcheck_no_such_lib")) << o.message;
  EXPECT_TRUE(contains(o.message, "; install the Debian package libbbcheck-dev")) << o.message;
  EXPECT_EQ(o.observed["error"].toString().find("collect2"), std::string::npos);
}

TEST(LibraryProbe, PkgConfigLibsAreUsed) {
  std::string zlibLibs = testing::runCommand("pkg-config", {"--libs", "zlib"}).out;
  Outcome o = runLibraryCheck({{"name", std::string("z")}, {"pkg_config", std::string("zlib")}});
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(flagsOf(o), std::vector<std::string>{"-lz"}) << zlibLibs;
  EXPECT_TRUE(o.observed["pkg_config_known"].convert<bool>());
}

// A static library the test builds, known only to a .pc file it writes.
TEST(LibraryProbe, LibraryFoundOnlyThroughPkgConfig) {
  TempDir dir;
  std::string source = dir.write("src/mylib.c", "int bbcheck_mylib_fn(void) { return 42; }\n");
  auto cc = testing::runCommand("gcc", {"-c", source, "-o", dir.path() + "/src/mylib.o"});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  dir.write("lib/.keep", "");
  auto ar = testing::runCommand(
      "ar", {"rcs", dir.path() + "/lib/libbbmylib.a", dir.path() + "/src/mylib.o"});
  ASSERT_EQ(ar.exit_code, 0) << ar.err;
  dir.write("pkgconfig/mylib.pc",
            "Name: mylib\nDescription: bbcheck test library\nVersion: 1.0\n"
            "Libs: -L" +
                dir.path() + "/lib -lbbmylib\n");
  ScopedEnv pkgConfigPath("PKG_CONFIG_PATH", dir.path() + "/pkgconfig");

  Outcome with = runLibraryCheck({{"name", std::string("bbmylib")},
                                  {"pkg_config", std::string("mylib")},
                                  {"symbol", std::string("bbcheck_mylib_fn")}});
  EXPECT_EQ(with.status, Status::Pass) << with.message;
  EXPECT_EQ(flagsOf(with), (std::vector<std::string>{"-L" + dir.path() + "/lib", "-lbbmylib"}));

  Outcome without = runLibraryCheck(
      {{"name", std::string("bbmylib")}, {"symbol", std::string("bbcheck_mylib_fn")}});
  EXPECT_EQ(without.status, Status::Fail);
  EXPECT_TRUE(contains(without.message, "cannot find -lbbmylib")) << without.message;

  Outcome unknown = runLibraryCheck(
      {{"name", std::string("bbmylib")}, {"pkg_config", std::string("bbcheck-no-such-pc")}});
  EXPECT_EQ(unknown.status, Status::Fail);
  EXPECT_TRUE(contains(unknown.message, "; pkg-config does not know bbcheck-no-such-pc"))
      << unknown.message;
}

TEST(LibraryProbe, TheProgramDeclaresTheSymbolWithCLinkage) {
  std::string program = linkTestProgram("deflate");
  EXPECT_TRUE(contains(program, "extern \"C\"")) << program;
  EXPECT_TRUE(contains(program, "char deflate(void);")) << program;
  EXPECT_FALSE(contains(linkTestProgram(""), "extern"));
}

// A PATH with the assembler but no linker: gcc compiles, then collect2
// cannot find ld. That is the machine's fault, not zlib's.
TEST(LibraryProbe, NoLinkerOnPathIsTheEnvironmentNotAPackage) {
  TempDir bin;
  ASSERT_EQ(::symlink("/usr/bin/as", (bin.path() + "/as").c_str()), 0);
  ScopedEnv cc("CC", std::nullopt), path("PATH", bin.path());
  Outcome o = runLibraryCheck({{"name", std::string("z")},
                               {"compiler", std::string("/usr/bin/gcc")},
                               {"package", std::string("zlib1g-dev")}});
  EXPECT_EQ(o.status, Status::Error) << o.message;
  EXPECT_TRUE(contains(o.message, "the linker ld is not on PATH (PATH=" + bin.path())) << o.message;
  EXPECT_FALSE(contains(o.message, "install the Debian package zlib1g-dev")) << o.message;
}

// In a private mount namespace: TMPDIR on a tmpfs that is full, beside the
// same tmpfs with room.
Outcome linkWithTmpdirOnTmpfs(bool full) {
  TempDir dir;
  auto child = testing::runInChild([&] {
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      throw std::runtime_error("no private mount namespace");
    if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=1m") != 0)
      throw std::runtime_error("mounting a tmpfs failed");
    if (full) {
      std::ofstream filler(dir.path() + "/filler", std::ios::binary);
      filler << std::string(2 << 20, 'x');  // more than fits: the tmpfs is full
    }
    ::setenv("TMPDIR", dir.path().c_str(), 1);
    return runLibraryCheck({{"name", std::string("z")},
                            {"compiler", std::string("gcc")},
                            {"package", std::string("zlib1g-dev")}});
  });
  if (!child.failure.empty()) throw std::runtime_error(child.failure);
  return child.outcome;
}

TEST(LibraryProbe, AFullTmpdirIsTheEnvironmentNotAPackage) {
  Outcome full = linkWithTmpdirOnTmpfs(true);
  EXPECT_EQ(full.status, Status::Error) << full.message;
  EXPECT_TRUE(contains(full.message, "is full: the compiler cannot write its temporary files"))
      << full.message;
  EXPECT_FALSE(contains(full.message, "install the Debian package")) << full.message;
  Outcome roomy = linkWithTmpdirOnTmpfs(false);
  EXPECT_EQ(roomy.status, Status::Pass) << roomy.message;
}

TEST(LibraryProbe, AnInstalledPackageIsNotAdvisedAgain) {
  ASSERT_EQ(testing::runCommand("dpkg-query", {"-W", "-f=${db:Status-Abbrev}", "zlib1g-dev"}).out,
            "ii ")
      << "ground truth: zlib1g-dev is installed here";
  // The package is there, yet the library the check asks for is not in it
  // (a library installed elsewhere, a profile naming the wrong package):
  // installing the package again cannot help.
  Outcome o = runLibraryCheck({{"name", std::string("bbcheck_no_such_lib")},
                               {"compiler", std::string("gcc")},
                               {"package", std::string("zlib1g-dev")}});
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(contains(o.message,
                       "the Debian package zlib1g-dev is installed, so installing it cannot "
                       "help"))
      << o.message;
  EXPECT_FALSE(contains(o.message, "install the Debian package")) << o.message;
}

}  // namespace
}  // namespace bbcheck
