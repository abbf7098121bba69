#include "probes/toolchain/compiler.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/scoped_env.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::ScopedEnv;
using testing::TempDir;
namespace fs = std::filesystem;

Outcome runCompilerCheck(const std::string& language, const std::string& name = "",
                         Milliseconds timeout = Milliseconds(20000)) {
  Params params;
  params.set("language", language);
  if (!name.empty()) params.set("name", name);
  ProbeContext ctx;
  ctx.timeout = timeout;
  ctx.deadline = Clock::now() + timeout;
  return compilerProbe().run(params, ctx);
}

std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// What the compiler itself says, asked the documented way.
std::string ask(const std::string& compiler, const std::vector<std::string>& args) {
  return firstLine(testing::runCommand(compiler, args).out);
}

const CompilerFact* findFact(const std::vector<CompilerFact>& facts, const std::string& name,
                             const std::string& language) {
  for (const auto& f : facts)
    if (f.name == name && f.language == language) return &f;
  return nullptr;
}

// A shell script standing in for a compiler that never answers.
std::string writeScript(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.write(name, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
  return path;
}

// A script body that describes itself as gcc VERSION for -v, else runs
// `otherwise`.
std::string describesItselfAs(const std::string& version, const std::string& otherwise) {
  return "if [ \"$1\" = -v ]; then\n"
         "  echo 'Target: bbcheck-test-target' >&2\n"
         "  echo 'gcc version " +
         version + " (test)' >&2\n  exit 0\nfi\n" + otherwise;
}

TEST(CompilerProbe, DetectsGccAndGxxAsTheyDescribeThemselves) {
  ScopedEnv cc("CC", std::nullopt), cxx("CXX", std::nullopt);
  auto facts = detectCompilers(Clock::now() + std::chrono::seconds(20));
  for (auto [name, language] : {std::pair{"gcc", "c"}, std::pair{"g++", "c++"}}) {
    const CompilerFact* fact = findFact(facts, name, language);
    ASSERT_NE(fact, nullptr) << name << " (Debian package build-essential) must be installed";
    EXPECT_EQ(fact->version, ask(name, {"-dumpfullversion", "-dumpversion"}));
    EXPECT_EQ(fact->target, ask(name, {"-dumpmachine"}));
    EXPECT_EQ(fact->path, fs::canonical(findOnPath(name)).string());
  }
  // cc is a symlink chain on Debian; the fact names the real binary.
  if (const CompilerFact* cc = findFact(facts, "cc", "c")) {
    EXPECT_EQ(cc->path, fs::canonical("/usr/bin/cc").string());
  }
}

TEST(CompilerProbe, DetectsClangWhenInstalled) {
  if (findOnPath("clang").empty()) GTEST_SKIP() << "clang is not installed (optional)";
  ScopedEnv cc("CC", std::nullopt);
  auto facts = detectCompilers(Clock::now() + std::chrono::seconds(20));
  const CompilerFact* clang = findFact(facts, "clang", "c");
  ASSERT_NE(clang, nullptr);
  std::smatch m;
  std::string banner = ask("clang", {"--version"});
  ASSERT_TRUE(std::regex_search(banner, m, std::regex(R"(clang version (\S+))"))) << banner;
  EXPECT_EQ(clang->version, m[1].str());
  EXPECT_EQ(clang->target, ask("clang", {"-dumpmachine"}));
}

TEST(CompilerProbe, CompilesAndLinksCAndCxx) {
  ScopedEnv cc("CC", std::nullopt), cxx("CXX", std::nullopt);
  Outcome c = runCompilerCheck("c");
  ASSERT_EQ(c.status, Status::Pass) << c.message;
  EXPECT_NE(c.message.find("compiles and links C"), std::string::npos) << c.message;
  EXPECT_EQ(c.observed["used"].toString(), "gcc");  // configure's first: gcc, cc, clang
  EXPECT_GE(c.observed["compilers"].size(), 2u);

  Outcome cxxOutcome = runCompilerCheck("c++");
  ASSERT_EQ(cxxOutcome.status, Status::Pass) << cxxOutcome.message;
  EXPECT_NE(cxxOutcome.message.find("compiles and links C++"), std::string::npos);
  EXPECT_EQ(cxxOutcome.observed["used"].toString(), "g++");
}

TEST(CompilerProbe, NamedCompilerIsTheOnlyOneChecked) {
  Outcome gcc = runCompilerCheck("c", "gcc");
  ASSERT_EQ(gcc.status, Status::Pass) << gcc.message;
  EXPECT_EQ(gcc.observed["compilers"].size(), 1u);
  EXPECT_EQ(gcc.message.rfind("gcc " + ask("gcc", {"-dumpfullversion", "-dumpversion"}), 0), 0u)
      << gcc.message;

  if (!findOnPath("clang").empty()) {
    Outcome clang = runCompilerCheck("c", "clang");
    ASSERT_EQ(clang.status, Status::Pass) << clang.message;
    EXPECT_EQ(clang.observed["used"].toString(), "clang");
  }

  Outcome missing = runCompilerCheck("c", "bbcheck-no-such-cc");
  EXPECT_EQ(missing.status, Status::Fail);
  EXPECT_EQ(missing.message, "C compiler bbcheck-no-such-cc not found on PATH");
}

TEST(CompilerProbe, MissingCcIsReportedEvenWhenOthersWork) {
  ScopedEnv cc("CC", "/nonexistent/bbcheck-cc");
  Outcome o = runCompilerCheck("c");
  EXPECT_EQ(o.status, Status::Fail);
  // A path is not looked up on PATH: it does not exist.
  EXPECT_EQ(
      o.message.rfind("$CC=/nonexistent/bbcheck-cc: /nonexistent/bbcheck-cc does not exist", 0), 0u)
      << o.message;
  EXPECT_NE(o.message.find("found: gcc"), std::string::npos) << o.message;
  std::string why;
  EXPECT_FALSE(pickCompiler("c", "", why));  // header and library checks do not fall back either
  EXPECT_EQ(why, "$CC=/nonexistent/bbcheck-cc: /nonexistent/bbcheck-cc does not exist");
  EXPECT_FALSE(pickCompiler("c", "/nonexistent/bbcheck-cc", why));
  EXPECT_EQ(why, "/nonexistent/bbcheck-cc does not exist");
}

TEST(CompilerProbe, CcThatCannotLinkFailsWithTheLinkersError) {
  // A real gcc that cannot link: no C library.
  ScopedEnv cc("CC", "gcc -nostdlib");
  Outcome o = runCompilerCheck("c");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, "$CC=gcc -nostdlib found but cannot link: undefined reference to `puts'")
      << o.message;
}

TEST(CompilerProbe, AGccThatCannotLinkFailsThoughClangWorks) {
  if (findOnPath("clang").empty()) GTEST_SKIP() << "needs clang (Debian package clang)";
  // A host whose gcc (and cc, its Debian alias) cannot link: configure takes
  // gcc, the first it finds, and stops with "C compiler cannot create
  // executables"; that clang could link does not help the build.
  TempDir bin;
  std::string broken = "exec /usr/bin/gcc -nostdlib \"$@\"\n";
  writeScript(bin, "gcc", broken);
  writeScript(bin, "cc", broken);
  const char* path = std::getenv("PATH");
  ScopedEnv cc("CC", std::nullopt), env("PATH", bin.path() + ":" + (path ? path : "/usr/bin:/bin"));
  Outcome o = runCompilerCheck("c");
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["used"].toString(), "gcc");
  EXPECT_EQ(o.observed["works_instead"].toString(), "clang");
  EXPECT_EQ(o.message.rfind("gcc found but cannot link: undefined reference to `puts'", 0), 0u)
      << o.message;
  EXPECT_NE(o.message.find("set CC=clang in the worker's environment"), std::string::npos)
      << o.message;

  // Control: the same PATH with a gcc that links passes, judged on gcc.
  writeScript(bin, "gcc", "exec /usr/bin/gcc \"$@\"\n");
  Outcome fixed = runCompilerCheck("c");
  EXPECT_EQ(fixed.status, Status::Pass) << fixed.message;
  EXPECT_EQ(fixed.observed["used"].toString(), "gcc");
}

TEST(CompilerProbe, CompilerWithoutLibcHeadersCannotCompile) {
  // An error located in the program is a compile error, not a link error.
  ScopedEnv cc("CC", "gcc -nostdinc");
  Outcome o = runCompilerCheck("c");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message,
            "$CC=gcc -nostdinc found but cannot compile: error: no include path in which to "
            "search for stdio.h");
}

TEST(CompilerProbe, NoCompilerOnPath) {
  TempDir empty;
  ScopedEnv cc("CC", std::nullopt), path("PATH", empty.path());
  Outcome o = runCompilerCheck("c");
  EXPECT_EQ(o.status, Status::Fail);
  EXPECT_EQ(o.message, "no C compiler found (tried $CC, gcc, cc, clang)");
  Outcome cxx = runCompilerCheck("c++");
  EXPECT_EQ(cxx.message, "no C++ compiler found (tried $CXX, g++, c++, clang++)");
}

TEST(CompilerProbe, HangingCompilerIsCutAtTheDeadline) {
  TempDir dir;
  ScopedEnv cc("CC", writeScript(dir, "hang-cc", "exec sleep 30\n"));
  auto start = Clock::now();
  Outcome o = runCompilerCheck("c", "", Milliseconds(500));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_NE(o.message.find("did not answer"), std::string::npos) << o.message;
  EXPECT_NE(o.message.find("500 ms"), std::string::npos) << o.message;
}

TEST(CompilerProbe, CompilerThatHangsWhileLinkingIsCutAtTheDeadline) {
  TempDir dir;
  ScopedEnv cc("CC", writeScript(dir, "slow-cc", describesItselfAs("99.1.0", "exec sleep 30\n")));
  auto start = Clock::now();
  Outcome o = runCompilerCheck("c", "", Milliseconds(700));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_NE(o.message.find("did not compile and link a trivial C program within the 700 ms"),
            std::string::npos)
      << o.message;
  Object first = o.observed["compilers"][0].extract<Object>();
  EXPECT_EQ(first["version"].toString(), "99.1.0");
  EXPECT_EQ(first["target"].toString(), "bbcheck-test-target");
  EXPECT_EQ(first["env"].toString(), "CC");
}

TEST(CompilerProbe, ACompileThatUsesUpTheTimeIsTheErrorNotTheOthersVersion) {
  // $CC answers -v and hangs compiling; gcc, described meanwhile, hangs on
  // -v: both are cut at the deadline, and the compile is what failed.
  TempDir dir, bin;
  writeScript(bin, "gcc", "exec /bin/sleep 30\n");
  ScopedEnv cc("CC",
               writeScript(dir, "slow-cc", describesItselfAs("99.5.0", "exec /bin/sleep 30\n")));
  ScopedEnv path("PATH", bin.path());
  auto start = Clock::now();
  Outcome o = runCompilerCheck("c", "", Milliseconds(700));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(o.status, Status::Error);
  EXPECT_NE(o.message.find("did not compile and link a trivial C program within the 700 ms"),
            std::string::npos)
      << o.message;
}

TEST(CompilerProbe, EachCompilerIsDescribedOncePerProcess) {
  // The compiler check and the report's host facts both describe $CC: one
  // `-v` between them, also when they ask at the same time.
  TempDir dir;
  std::string calls = dir.path() + "/calls";
  ScopedEnv cc("CC", writeScript(dir, "counting-cc",
                                 "echo \"$*\" >> " + calls + "\n" +
                                     describesItselfAs("99.2.0", "exec gcc \"$@\"\n")));
  std::vector<CompilerFact> facts;
  std::thread report(
      [&facts] { facts = detectCompilers(Clock::now() + std::chrono::seconds(20)); });
  Outcome o = runCompilerCheck("c");
  report.join();
  EXPECT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["compilers"][0].extract<Object>()["version"].toString(), "99.2.0");
  ASSERT_FALSE(facts.empty());
  EXPECT_EQ(facts.front().version, "99.2.0");
  EXPECT_EQ(facts.front().target, "bbcheck-test-target");
  std::ifstream in(calls);
  int asked = 0;
  for (std::string line; std::getline(in, line);) asked += line == "-v";
  EXPECT_EQ(asked, 1);
}

TEST(CompilerProbe, OtherCompilersAreDescribedWhileTheChosenOneCompiles) {
  // The checks that need this one (headers, libraries) wait for it: the
  // compilers configure would not take must not add their `-v` to its time.
  TempDir bin;
  writeScript(
      bin, "gcc",
      describesItselfAs("99.3.0", "/bin/sleep 1\nPATH=/usr/bin:/bin exec /usr/bin/gcc \"$@\"\n"));
  writeScript(bin, "clang",
              "/bin/sleep 1\necho 'clang version 99.4.0 (test)' >&2\n"
              "echo 'Target: bbcheck-test-target' >&2\n");
  ScopedEnv cc("CC", std::nullopt), path("PATH", bin.path());
  auto start = Clock::now();
  Outcome o = runCompilerCheck("c");
  auto took = Clock::now() - start;
  ASSERT_EQ(o.status, Status::Pass) << o.message;
  EXPECT_EQ(o.observed["used"].toString(), "gcc");
  ASSERT_EQ(o.observed["compilers"].size(), 2u);
  EXPECT_EQ(o.observed["compilers"][1].extract<Object>()["version"].toString(), "99.4.0");
  // One after the other it takes 2 s; side by side, 1 s and a real compile.
  EXPECT_LT(took, std::chrono::milliseconds(1800));
}

TEST(CompilerProbe, LeavesNothingInTmpdir) {
  TempDir tmp;
  ScopedEnv tmpdir("TMPDIR", tmp.path());
  ASSERT_EQ(runCompilerCheck("c").status, Status::Pass);
  EXPECT_TRUE(fs::is_empty(tmp.path()));
}

TEST(CompilerProbe, SplitsFlagsLikePkgConfigWritesThem) {
  EXPECT_EQ(splitFlags(" -I/opt/my\\ dir  -DX=1\n-lz "),
            (std::vector<std::string>{"-I/opt/my dir", "-DX=1", "-lz"}));
  EXPECT_TRUE(splitFlags(" \n").empty());
}

}  // namespace
}  // namespace bbcheck
