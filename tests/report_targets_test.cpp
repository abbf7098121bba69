// `--report FMT:PATH` (DESIGN.md, "Reports"): "-" is stdout; a target that
// is not a regular file is written in place (device nodes, FIFOs and
// /dev/stdout only ever inside a private mount namespace with its own /dev);
// a symlink is opened by the kernel and written through, never replaced (see
// report_target_links_test.cpp for links in shared directories); a regular
// file is replaced whole;
// a target that cannot be written is refused before any probe runs.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_support.h"

namespace bbcheck::testing {
namespace {

namespace fs = std::filesystem;

TEST(ReportTargets, DashIsStdout) {
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--format", "text", "--report", "tap:-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("READY"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TAP version 13\n1..3\n"), std::string::npos) << r.out;
}

TEST(ReportTargets, SymlinksAreFollowedNeverReplaced) {
  TempDir dir;
  std::string real = dir.write("real.json", "old\n");
  fs::create_symlink(real, dir.path() + "/link.json");
  fs::create_directories(dir.path() + "/elsewhere");
  // A dangling link: the report is created where it points.
  fs::create_symlink("elsewhere/new.json", dir.path() + "/dangling.json");
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--report", "json:" + dir.path() + "/link.json",
                                "--report", "json:" + dir.path() + "/dangling.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(dir.path() + "/link.json"));
  EXPECT_TRUE(fs::is_symlink(dir.path() + "/dangling.json"));
  EXPECT_EQ(schemaErrors(readFile(real)), "");
  EXPECT_EQ(schemaErrors(readFile(dir.path() + "/elsewhere/new.json")), "");
}

TEST(ReportTargets, RegularFilesAreReplacedWholeWithNothingLeftBeside) {
  TempDir dir;
  std::string path = dir.write("r.json", "old\n");
  struct stat before {};
  ::stat(path.c_str(), &before);
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--report", "json:" + path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  struct stat after {};
  ::stat(path.c_str(), &after);
  EXPECT_NE(before.st_ino, after.st_ino) << "a new file renamed over the old one";
  EXPECT_EQ(schemaErrors(readFile(path)), "");
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) files += entry.exists() ? 1 : 0;
  EXPECT_EQ(files, 1u) << "no temp or probe file left";
}

TEST(ReportTargets, UnwritableTargetsAreRefusedBeforeTheRun) {
  TempDir dir;
  struct Case {
    std::string path;
    std::string says;
  };
  std::vector<Case> cases = {
      {"/proc/version", "procfs"},    {"/sys/bbcheck-report-test.json", "sysfs"},
      {dir.path(), "is a directory"}, {dir.path() + "/missing/r.json", "does not exist"},
      {"", "no file name"},
  };
  for (const auto& c : cases) {
    // A check that would take 20 s shows that nothing ran.
    CommandResult r = runBbcheck({"-p", cpuProfile(), "--report", "json:" + c.path}, {}, 15);
    EXPECT_EQ(r.exit_code, 2) << c.path << ": " << r.out << r.err;
    EXPECT_EQ(r.out, "") << c.path;
    EXPECT_NE(r.err.find("bbcheck: --report json:" + c.path + ": cannot write a report there"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  // A read-only directory, for a user the kernel holds to its modes.
  fs::create_directories(dir.path() + "/ro");
  ::chmod(dir.path().c_str(), 0755);
  ::chmod((dir.path() + "/ro").c_str(), 0555);
  std::string uid = std::to_string(200000 + ::getpid());
  CommandResult ro =
      runCommand("setpriv", {"--reuid=" + uid, "--regid=" + uid, "--clear-groups", bbcheckBinary(),
                             "-p", cpuProfile(), "--report", "json:" + dir.path() + "/ro/r.json"});
  EXPECT_EQ(ro.exit_code, 2) << ro.out << ro.err;
  EXPECT_NE(ro.err.find("cannot create a file in " + dir.path() + "/ro"), std::string::npos)
      << ro.err;
}

// Inside `unshare -m` with a tmpfs over /dev: /dev/null and /dev/full
// device nodes, a FIFO with a reader, and /dev/stdout as the usual symlink.
TEST(ReportTargets, NonRegularTargetsAreWrittenInPlace) {
  TempDir dir;
  std::string script = dir.write("inside.sh", R"(set -e
mount --make-rprivate /
mount -t tmpfs bbcheck-test-dev /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/full c 1 7
ln -s /proc/self/fd/1 /dev/stdout
mkfifo /dev/fifo
cat /dev/fifo > "$OUT/fifo.txt" &
reader=$!
set +e
"$BBCHECK" -p "$PROFILE" --format text --no-color --report json:/dev/null \
    --report json:/dev/stdout --report tap:/dev/fifo > "$OUT/stdout.txt"
echo "exit=$?" > "$OUT/exit.txt"
"$BBCHECK" -p "$PROFILE" --report json:/dev/full 2> "$OUT/full.txt"
echo "full=$?" >> "$OUT/exit.txt"
wait $reader
for f in null full stdout fifo; do stat -c "$f %F" /dev/$f; done > "$OUT/types.txt"
)");
  CommandResult r = runCommand("env", {"BBCHECK=" + bbcheckBinary(), "PROFILE=" + cpuProfile(),
                                       "OUT=" + dir.path(), "unshare", "-m", "sh", script});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(readFile(dir.path() + "/exit.txt"), "exit=0\nfull=2\n");
  std::string out = readFile(dir.path() + "/stdout.txt");
  EXPECT_NE(out.find("READY"), std::string::npos) << out;
  size_t json = out.find("{\n");
  ASSERT_NE(json, std::string::npos) << out;
  EXPECT_EQ(schemaErrors(out.substr(json)), "") << out;
  EXPECT_NE(readFile(dir.path() + "/fifo.txt").find("TAP version 13"), std::string::npos);
  EXPECT_NE(readFile(dir.path() + "/full.txt").find("No space left on device"), std::string::npos);
  EXPECT_EQ(readFile(dir.path() + "/types.txt"),
            "null character special file\nfull character special file\n"
            "stdout symbolic link\nfifo fifo\n");
}

}  // namespace
}  // namespace bbcheck::testing
