#include "probes/system/disk.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

#include "probes/text.h"
#include "tests/in_child.h"
#include "tests/test_support.h"

namespace bbcheck {
namespace {

using testing::runInChild;
using testing::TempDir;

Outcome runDisk(const std::string& path, int64_t min) {
  Params params;
  params.set("path", path);
  params.set("min", min);
  return diskProbe().run(params, ProbeContext{});
}

TEST(DiskProbe, MeasuresWhatStatvfsReports) {
  TempDir dir;
  struct statvfs vfs {};
  ASSERT_EQ(::statvfs(dir.path().c_str(), &vfs), 0);
  int64_t free = static_cast<int64_t>(vfs.f_bavail) * vfs.f_frsize;
  Outcome ok = runDisk(dir.path(), 1);
  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["measured_path"].toString(), dir.path());
  EXPECT_TRUE(ok.observed["path_exists"].convert<bool>());
  EXPECT_EQ(ok.observed["filesystem_bytes"].convert<int64_t>(),
            static_cast<int64_t>(vfs.f_blocks) * vfs.f_frsize);
  // Other processes write to this filesystem meanwhile: allow some drift.
  EXPECT_NEAR(static_cast<double>(ok.observed["bytes"].convert<int64_t>()),
              static_cast<double>(free), 256.0 * 1024 * 1024);
  EXPECT_TRUE(contains(ok.message, "free at " + dir.path())) << ok.message;
}

TEST(DiskProbe, WalksUpFromAPathThatDoesNotExistYet) {
  TempDir dir;
  const char* savedHome = std::getenv("HOME");
  std::string oldHome = savedHome ? savedHome : "";
  ::setenv("HOME", dir.path().c_str(), 1);
  Outcome ok = runDisk(dir.path() + "/buildarea/worker/", 1);
  if (savedHome)
    ::setenv("HOME", oldHome.c_str(), 1);
  else
    ::unsetenv("HOME");

  ASSERT_EQ(ok.status, Status::Pass) << ok.message;
  EXPECT_EQ(ok.observed["measured_path"].toString(), dir.path());
  EXPECT_FALSE(ok.observed["path_exists"].convert<bool>());
  EXPECT_TRUE(contains(ok.message, "~/buildarea/worker does not exist yet; measured " + dir.path()))
      << ok.message;
}

TEST(DiskProbe, FailsWhenLessIsFreeThanNeeded) {
  TempDir dir;
  struct statvfs vfs {};
  ASSERT_EQ(::statvfs(dir.path().c_str(), &vfs), 0);
  int64_t min = static_cast<int64_t>(vfs.f_blocks) * vfs.f_frsize * 2;  // more than the disk
  Outcome tooLittle = runDisk(dir.path(), min);
  EXPECT_EQ(tooLittle.status, Status::Fail) << tooLittle.message;
  EXPECT_TRUE(contains(tooLittle.message, "B free at " + dir.path() + ", need "))
      << tooLittle.message;
  EXPECT_TRUE(contains(tooLittle.message, std::to_string(min) + " bytes")) << tooLittle.message;
  EXPECT_EQ(tooLittle.expected["min_bytes"].convert<int64_t>(), min);
}

// A 64 MiB tmpfs (in a private mount namespace, so nothing leaks) makes the
// numbers exact: after writing 16 MiB, 48 MiB are free.
TEST(DiskProbe, ExactNumbersOnASmallTmpfs) {
  TempDir dir;
  auto child = runInChild([&] {
    if (::unshare(CLONE_NEWNS) != 0) throw std::runtime_error("unshare(CLONE_NEWNS) failed");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
      throw std::runtime_error("making / private failed");
    if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=64m") != 0)
      throw std::runtime_error("mounting a tmpfs failed");
    std::ofstream(dir.path() + "/filler", std::ios::binary) << std::string(16 << 20, 'x');
    return runDisk(dir.path() + "/new", 50LL << 20);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["bytes"].convert<int64_t>(), 48LL << 20);
  EXPECT_EQ(o.observed["filesystem_bytes"].convert<int64_t>(), 64LL << 20);
  EXPECT_EQ(o.message, dir.path() + "/new does not exist yet; measured " + dir.path() +
                           ": 48.0 MiB free, need 50 MiB (50331648 < 52428800 bytes; "
                           "filesystem size 64.0 MiB)");
}

TEST(DiskProbe, PermissionDeniedIsAnError) {
  TempDir dir;
  std::string locked = dir.path() + "/locked";
  ASSERT_EQ(::mkdir(locked.c_str(), 0700), 0);
  auto child = runInChild([&] {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) throw std::runtime_error("setuid failed");
    return runDisk(locked + "/buildarea", 1);
  });
  ASSERT_EQ(child.failure, "");
  EXPECT_EQ(child.outcome.status, Status::Error) << child.outcome.message;
  EXPECT_EQ(child.outcome.message, "cannot measure " + locked + "/buildarea: Permission denied");
}

TEST(DiskProbe, AnEmptyPathIsAnErrorNotTheWorkingDirectory) {
  Outcome o = runDisk("", 1);
  EXPECT_EQ(o.status, Status::Error) << o.message;
  EXPECT_TRUE(contains(o.message, "path is empty")) << o.message;
}

Outcome runDiskInodes(const std::string& path, int64_t min, int64_t minInodes) {
  Params params;
  params.set("path", path);
  params.set("min", min);
  params.set("min_inodes", minInodes);
  return diskProbe().run(params, ProbeContext{});
}

// In a forked child: a private mount namespace, so the mounts vanish with it.
void privateMounts() {
  if (::unshare(CLONE_NEWNS) != 0) throw std::runtime_error("unshare(CLONE_NEWNS) failed");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw std::runtime_error("making / private failed");
}

void mountTmpfs(const std::string& where, const std::string& options) {
  if (::mount("tmpfs", where.c_str(), "tmpfs", 0, options.c_str()) != 0)
    throw std::runtime_error("mounting a tmpfs (" + options + ") failed");
}

// Creates files until the filesystem refuses; returns the errno it refused with.
int fillInodes(const std::string& dir) {
  for (int i = 0; i < 100000; ++i) {
    int fd = ::open((dir + "/f" + std::to_string(i)).c_str(), O_CREAT | O_WRONLY, 0644);
    if (fd < 0) return errno;
    ::close(fd);
  }
  return 0;
}

TEST(DiskProbe, A40GbTmpfsWithNoInodeLeftFails) {
  TempDir dir;
  auto child = runInChild([&] {
    privateMounts();
    mountTmpfs(dir.path(), "size=40G,nr_inodes=64");
    // Ground truth: no build could create a file here, though 40 GB are free.
    if (fillInodes(dir.path()) != ENOSPC) throw std::runtime_error("the inodes did not run out");
    return runDiskInodes(dir.path(), 30LL * 1000 * 1000 * 1000, 1);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_EQ(o.observed["free_inodes"].convert<int64_t>(), 0);
  EXPECT_GE(o.observed["bytes"].convert<int64_t>(), 30LL * 1000 * 1000 * 1000);
  EXPECT_TRUE(contains(o.message, "only 0 free inodes (files) left of 64, need 1")) << o.message;
}

TEST(DiskProbe, A40GbTmpfsWithInodesPasses) {
  TempDir dir;
  auto child = runInChild([&] {
    privateMounts();
    mountTmpfs(dir.path(), "size=40G,nr_inodes=200000");
    return runDiskInodes(dir.path(), 30LL * 1000 * 1000 * 1000, 100000);
  });
  ASSERT_EQ(child.failure, "");
  EXPECT_EQ(child.outcome.status, Status::Pass) << child.outcome.message;
  EXPECT_GE(child.outcome.observed["free_inodes"].convert<int64_t>(), 100000);
  EXPECT_TRUE(child.outcome.observed["writable"].convert<bool>());
}

// A read-only bind mount of a fit directory, beside the same directory
// writable: only the mount differs.
TEST(DiskProbe, AReadOnlyMountFailsBesideTheSameDirectoryWritable) {
  TempDir dir;
  std::string fit = dir.path() + "/fit", readOnly = dir.path() + "/ro";
  auto child = runInChild([&] {
    privateMounts();
    mountTmpfs(dir.path(), "size=40G");
    ::mkdir(fit.c_str(), 0755);
    ::mkdir(readOnly.c_str(), 0755);
    if (::mount(fit.c_str(), readOnly.c_str(), nullptr, MS_BIND, nullptr) != 0 ||
        ::mount(nullptr, readOnly.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) != 0)
      throw std::runtime_error("read-only bind mount failed");
    // Ground truth: even root cannot create a file there.
    int fd = ::open((readOnly + "/probe").c_str(), O_CREAT | O_WRONLY, 0644);
    if (fd >= 0 || errno != EROFS) throw std::runtime_error("the bind mount is writable");
    Outcome writable = runDisk(fit + "/buildarea", 1);
    if (writable.status != Status::Pass) throw std::runtime_error("control: " + writable.message);
    return runDisk(readOnly + "/buildarea", 1);
  });
  ASSERT_EQ(child.failure, "");
  const Outcome& o = child.outcome;
  EXPECT_EQ(o.status, Status::Fail) << o.message;
  EXPECT_TRUE(o.observed["read_only"].convert<bool>());
  EXPECT_TRUE(contains(o.message, readOnly + " is on a read-only filesystem")) << o.message;
}

TEST(DiskProbe, ADirectoryTheUserCannotWriteFails) {
  TempDir dir;
  std::string rootOwned = dir.path() + "/root-owned", theirs = dir.path() + "/theirs";
  ASSERT_EQ(::mkdir(rootOwned.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir(theirs.c_str(), 0755), 0);
  ASSERT_EQ(::chown(theirs.c_str(), 65534, 65534), 0);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  auto run = [&](const std::string& path) {
    return runInChild([&] {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) throw std::runtime_error("setuid failed");
      return runDisk(path + "/buildarea", 1);
    });
  };
  auto denied = run(rootOwned);
  ASSERT_EQ(denied.failure, "");
  EXPECT_EQ(denied.outcome.status, Status::Fail) << denied.outcome.message;
  EXPECT_TRUE(contains(denied.outcome.message,
                       "cannot create files in " + rootOwned + " (Permission denied)"))
      << denied.outcome.message;
  auto allowed = run(theirs);
  ASSERT_EQ(allowed.failure, "");
  EXPECT_EQ(allowed.outcome.status, Status::Pass) << allowed.outcome.message;
}

}  // namespace
}  // namespace bbcheck
