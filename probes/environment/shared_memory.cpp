#include "probes/environment/shared_memory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {

std::string uniqueIpcName() {
  static std::atomic<unsigned> counter{0};
  return fmt::format("/bbcheck-{}-{}", ::getpid(), counter++);
}

SharedMemoryReading probeSharedMemory(const std::string& directory) {
  SharedMemoryReading r;
  r.directory = directory;
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0)
    r.directory_error = fmt::format("{}: {}", directory, errnoText(errno));
  else if (!S_ISDIR(st.st_mode))
    r.directory_error = fmt::format("{} is not a directory", directory);
  else
    r.directory_ok = true;

  // What multiprocessing.synchronize.Lock() does: a semaphore created with
  // a fresh name, unlinked at once.
  std::string name = uniqueIpcName();
  sem_t* sem = ::sem_open(name.c_str(), O_CREAT | O_EXCL, 0600, 1);
  if (sem == SEM_FAILED) {
    r.semaphore_error = fmt::format("sem_open({}): {}", name, errnoText(errno));
  } else {
    ::sem_close(sem);
    if (::sem_unlink(name.c_str()) != 0)
      r.semaphore_error = fmt::format("sem_unlink({}): {}", name, errnoText(errno));
    else
      r.semaphore_ok = true;
  }

  // What multiprocessing.shared_memory.SharedMemory(create=True) does.
  name = uniqueIpcName();
  int fd = ::shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0) {
    r.segment_error = fmt::format("shm_open({}): {}", name, errnoText(errno));
  } else {
    bool sized = ::ftruncate(fd, 4096) == 0;
    int err = errno;
    ::close(fd);
    bool unlinked = ::shm_unlink(name.c_str()) == 0;
    if (!sized)
      r.segment_error = fmt::format("ftruncate of shared memory {}: {}", name, errnoText(err));
    else if (!unlinked)
      r.segment_error = fmt::format("shm_unlink({}): {}", name, errnoText(errno));
    else
      r.segment_ok = true;
  }
  return r;
}

namespace {

Outcome runSharedMemory(const NoParams&, const ProbeContext&) {
  // glibc keeps both in /dev/shm; the directory is checked to say so.
  SharedMemoryReading r = probeSharedMemory("/dev/shm");
  Object observed;
  observed["directory"] = r.directory;
  observed["directory_ok"] = r.directory_ok;
  observed["semaphore_ok"] = r.semaphore_ok;
  observed["shared_memory_ok"] = r.segment_ok;
  Object expected;
  expected["semaphore_ok"] = true;
  expected["shared_memory_ok"] = true;
  std::vector<std::string> problems;
  for (const std::string* e : {&r.directory_error, &r.semaphore_error, &r.segment_error})
    if (!e->empty()) problems.push_back(*e);
  if (problems.empty())
    return Outcome::pass(
        fmt::format("a named semaphore and a shared memory segment were created and removed in {}",
                    r.directory),
        observed, expected);
  std::string message = problems[0];
  for (size_t i = 1; i < problems.size(); ++i) message += "; " + problems[i];
  if (!r.semaphore_ok) message += ": multiprocessing's locks (SemLock) cannot work";
  return Outcome::fail(message, observed, expected);
}

}  // namespace

ProbeKind sharedMemoryProbe() {
  return probeKind(
      "shared-memory",
      "a POSIX named semaphore and shared memory segment can be created and removed (/dev/shm)", {},
      runSharedMemory);
}

}  // namespace bbcheck
