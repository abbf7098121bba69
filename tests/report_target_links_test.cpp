// Report targets and links another user planted (DESIGN.md, "Reports"):
// bbcheck never does for a link what the kernel would refuse. In a sticky,
// world-writable directory (like /tmp), a link owned by someone other than
// the caller or the directory's owner is not followed (Linux's
// fs.protected_symlinks rule, applied even where the sysctl is off, as in
// this test's container); the run is refused before any probe runs, and the
// file the link names stays untouched. Fit controls: a plain path and the
// caller's own link in the same directory, and another user's link in a
// directory that is not shared.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "tests/test_support.h"
#include "tests/throwaway_user.h"

namespace bbcheck::testing {
namespace {

namespace fs = std::filesystem;

struct FileState {
  ino_t inode = 0;
  mode_t mode = 0;
  uid_t owner = 0;
  std::string content;
  bool operator==(const FileState& o) const {
    return inode == o.inode && mode == o.mode && owner == o.owner && content == o.content;
  }
};

FileState stateOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, st.st_mode, st.st_uid, readFile(path)};
}

// The layout of /tmp: root's 0755 test directory holding a sticky 1777
// directory, and a root-only secret beside it.
class StickyDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    ::chmod(dir_.path().c_str(), 0755);
    sticky_ = dir_.path() + "/sticky";
    fs::create_directory(sticky_);
    ::chmod(sticky_.c_str(), 01777);
    secret_ = dir_.write("secret", "root's secret\n");
    ::chmod(secret_.c_str(), 0600);
  }

  // `ln -s target link` as the throwaway user: the link is the user's.
  void plantAsUser(const std::string& target, const std::string& link) {
    CommandResult r = runCommand("setpriv", {"--reuid=" + std::to_string(user_.uid()),
                                             "--regid=" + std::to_string(user_.gid()),
                                             "--clear-groups", "ln", "-s", target, link});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    struct stat st {};
    ASSERT_EQ(::lstat(link.c_str(), &st), 0);
    ASSERT_EQ(st.st_uid, static_cast<uid_t>(user_.uid()));
  }

  TempDir dir_;
  ThrowawayUser user_;
  std::string sticky_;
  std::string secret_;
};

TEST_F(StickyDirectory, AnotherUsersLinkIsRefusedAndWhatItNamesStaysUntouched) {
  ASSERT_EQ(::geteuid(), 0u) << "the attack is on root";
  plantAsUser(secret_, sticky_ + "/r.json");
  FileState before = stateOf(secret_);
  // A check that would take 20 s shows that nothing ran.
  CommandResult r =
      runBbcheck({"-p", cpuProfile(), "--report", "json:" + sticky_ + "/r.json"}, {}, 15);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("cannot write a report there: " + sticky_ +
                       "/r.json is a symlink owned by " + user_.name()),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("sticky world-writable directory"), std::string::npos) << r.err;
  EXPECT_TRUE(stateOf(secret_) == before) << "the secret was written: " << readFile(secret_);
  EXPECT_TRUE(fs::is_symlink(sticky_ + "/r.json"));
}

TEST_F(StickyDirectory, AnotherUsersLinkToADirectoryOnTheWayIsRefused) {
  std::string privateDir = dir_.path() + "/private";
  fs::create_directory(privateDir);
  ::chmod(privateDir.c_str(), 0700);
  plantAsUser(privateDir, sticky_ + "/d");
  CommandResult r = runBbcheck({"-p", cpuProfile(), "--report", "json:" + sticky_ + "/d/r.json"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(sticky_ + "/d is a symlink owned by " + user_.name()), std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::is_empty(privateDir)) << "nothing created through the link";
}

TEST_F(StickyDirectory, FitControlsPlainPathsAndTheCallersOwnLinksAreWritten) {
  // A plain path in the sticky directory: a new regular file, replaced whole.
  std::string plain = sticky_ + "/plain.json";
  // The caller's own link there: followed, the file it names written in place.
  std::string mine = dir_.write("mine.json", "old\n");
  fs::create_symlink(mine, sticky_ + "/mine.json");
  // Another user's link in a directory that user owns (not shared): the
  // kernel follows it, and so does bbcheck.
  std::string theirs = dir_.path() + "/theirs";
  fs::create_directory(theirs);
  ASSERT_EQ(::chown(theirs.c_str(), user_.uid(), user_.gid()), 0);
  std::string named = dir_.write("named.json", "old\n");
  plantAsUser(named, theirs + "/r.json");
  CommandResult r =
      runBbcheck({"-p", cpuProfile(), "--report", "json:" + plain, "--report",
                  "json:" + sticky_ + "/mine.json", "--report", "json:" + theirs + "/r.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(plain)));
  EXPECT_EQ(schemaErrors(readFile(plain)), "");
  EXPECT_TRUE(fs::is_symlink(sticky_ + "/mine.json"));
  EXPECT_EQ(schemaErrors(readFile(mine)), "");
  EXPECT_TRUE(fs::is_symlink(theirs + "/r.json"));
  EXPECT_EQ(schemaErrors(readFile(named)), "");
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(sticky_)) files += entry.exists() ? 1 : 0;
  EXPECT_EQ(files, 2u) << "no temp or probe file left";
}

}  // namespace
}  // namespace bbcheck::testing
