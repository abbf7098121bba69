#include "probes/toolchain/library.h"

#include <gtest/gtest.h>

#include "probes/registry.h"
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
  return findProbe("library")->run(Params(std::move(values)), ctx);
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
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
  EXPECT_TRUE(has(plain.message, " links -lz")) << plain.message;

  Outcome symbol =
      runLibraryCheck({{"name", std::string("z")}, {"symbol", std::string("zlibVersion")}});
  EXPECT_EQ(symbol.status, Status::Pass) << symbol.message;
  EXPECT_TRUE(has(symbol.message, "links -lz (calling zlibVersion)")) << symbol.message;

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
  EXPECT_TRUE(has(o.message, "gcc cannot link -lbbcheck_no_such_lib: ")) << o.message;
  EXPECT_TRUE(has(o.message, "cannot find -lbbcheck_no_such_lib")) << o.message;
  EXPECT_TRUE(has(o.message, "; install the Debian package libbbcheck-dev")) << o.message;
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
  EXPECT_TRUE(has(without.message, "cannot find -lbbmylib")) << without.message;

  Outcome unknown = runLibraryCheck(
      {{"name", std::string("bbmylib")}, {"pkg_config", std::string("bbcheck-no-such-pc")}});
  EXPECT_EQ(unknown.status, Status::Fail);
  EXPECT_TRUE(has(unknown.message, "; pkg-config does not know bbcheck-no-such-pc"))
      << unknown.message;
}

TEST(LibraryProbe, TheProgramDeclaresTheSymbolWithCLinkage) {
  std::string program = linkTestProgram("deflate");
  EXPECT_TRUE(has(program, "extern \"C\"")) << program;
  EXPECT_TRUE(has(program, "char deflate(void);")) << program;
  EXPECT_FALSE(has(linkTestProgram(""), "extern"));
}

}  // namespace
}  // namespace bbcheck
