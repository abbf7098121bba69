// The machine's part of the farm's "new worker" request form (architecture,
// operating system, anything special), filled from the host facts so the
// volunteer can paste it and the admins need not ask.
#pragma once

#include <string>

#include "checker/run/host_facts.h"

namespace bbcheck {

struct WorkerRequest {
  std::string architecture;      // as the form asks: "amd64", "arm64", ...
  std::string operating_system;  // "Debian GNU/Linux 12"
  std::string special;           // CPUs, memory, bigmem, compilers, isolation
};

WorkerRequest workerRequest(const HostFacts& host);

}  // namespace bbcheck
