// POSIX shared memory and named semaphores, which multiprocessing's locks
// (SemLock) and shared_memory module need: on Linux both live in /dev/shm.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "shared-memory": POSIX semaphores and shared memory work.
ProbeKind sharedMemoryProbe();

struct SharedMemoryReading {
  std::string directory;  // where they live ("/dev/shm")
  bool directory_ok = false;
  std::string directory_error;
  bool semaphore_ok = false;  // sem_open(O_CREAT|O_EXCL) + sem_unlink worked
  std::string semaphore_error;
  bool segment_ok = false;  // shm_open(O_CREAT|O_EXCL) + ftruncate + shm_unlink worked
  std::string segment_error;
};

// A name unique to this process and call: "/bbcheck-PID-N".
std::string uniqueIpcName();

// Creates and removes one named semaphore and one shared memory segment.
SharedMemoryReading probeSharedMemory(const std::string& directory);

}  // namespace bbcheck
