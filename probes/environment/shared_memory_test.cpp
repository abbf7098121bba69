#include "probes/environment/shared_memory.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "tests/in_child.h"
#include "tests/mount_testing.h"

namespace bbcheck {
namespace {

Outcome runShm() {
  return sharedMemoryProbe().run(Params{}, ProbeContext{});
}

TEST(SharedMemoryProbe, WritableDevShmPasses) {
  // The control: a fresh, writable tmpfs over /dev/shm.
  auto r = testing::runInChild([] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/dev/shm", "size=1m");
    return runShm();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Pass) << r.outcome.message;
  EXPECT_TRUE(r.outcome.observed["semaphore_ok"].convert<bool>());
}

TEST(SharedMemoryProbe, ReadOnlyDevShmFailsForSemaphores) {
  auto r = testing::runInChild([] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/dev/shm", "size=1m", MS_RDONLY);
    return runShm();
  });
  ASSERT_EQ(r.failure, "");
  ASSERT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
  EXPECT_FALSE(r.outcome.observed["semaphore_ok"].convert<bool>());
  EXPECT_NE(r.outcome.message.find("sem_open(/bbcheck-"), std::string::npos) << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("Read-only file system"), std::string::npos)
      << r.outcome.message;
  EXPECT_NE(r.outcome.message.find("SemLock"), std::string::npos) << r.outcome.message;
}

TEST(SharedMemoryProbe, FullDevShmFails) {
  // No inodes left: nothing can be created, as on a host whose /dev/shm filled up.
  auto r = testing::runInChild([] {
    testing::enterPrivateMountNamespace();
    testing::mountTmpfs("/dev/shm", "size=1m,nr_inodes=1");
    return runShm();
  });
  ASSERT_EQ(r.failure, "");
  EXPECT_EQ(r.outcome.status, Status::Fail) << r.outcome.message;
}

TEST(SharedMemoryProbe, NamesAreUnique) {
  EXPECT_NE(uniqueIpcName(), uniqueIpcName());
}

}  // namespace
}  // namespace bbcheck
