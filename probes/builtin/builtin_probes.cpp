#include "probes/builtin/builtin_probes.h"

#include "probes/builtin/platform_probes.h"
#include "probes/environment/clock.h"
#include "probes/environment/display.h"
#include "probes/environment/duplicate_worker.h"
#include "probes/environment/hostname.h"
#include "probes/environment/locale.h"
#include "probes/environment/open_files_limit.h"
#include "probes/environment/service_env.h"
#include "probes/environment/shared_memory.h"
#include "probes/environment/temp_space.h"
#include "probes/environment/tzdata.h"
#include "probes/environment/user_exists.h"
#include "probes/network/buildmaster.h"
#include "probes/network/dns.h"
#include "probes/network/http.h"
#include "probes/network/nxdomain.h"
#include "probes/network/tcp.h"
#include "probes/network/tls.h"
#include "probes/system/command.h"
#include "probes/system/cpu.h"
#include "probes/system/disk.h"
#include "probes/system/file.h"
#include "probes/system/localhost.h"
#include "probes/system/memory.h"
#include "probes/system/user.h"
#include "probes/system/virtualization.h"
#include "probes/toolchain/compiler.h"
#include "probes/toolchain/header.h"
#include "probes/toolchain/library.h"
#include "probes/worker/boot.h"
#include "probes/worker/buildarea.h"
#include "probes/worker/rehearsal.h"
#include "probes/worker/worker_running.h"

namespace bbcheck {

std::vector<ProbeKind> builtinProbes() {
  // linuxOnly(): the kinds that read what only Linux's code reads yet
  // (/proc, adjtimex, systemd); elsewhere they skip (platform_probes.h).
  return {
      // system: the machine's resources and the user bbcheck runs as
      cpuProbe(),
      linuxOnly(memoryProbe()),
      diskProbe(),
      fileProbe(),
      commandProbe(),
      userProbe(),
      localhostProbe(),
      linuxOnly(virtualizationProbe()),
      // network
      dnsProbe(),
      nxdomainProbe(),
      tcpProbe(),
      tlsProbe(),
      httpProbe(),
      buildmasterProbe(),
      // toolchain
      compilerProbe(),
      headerProbe(),
      libraryProbe(),
      // environment: what the build and its tests expect of the host
      linuxOnly(clockProbe()),
      displayProbe(),
      linuxOnly(duplicateWorkerProbe()),
      hostnameProbe(),
      localeProbe(),
      openFilesLimitProbe(),
      linuxOnly(serviceEnvProbe()),
      sharedMemoryProbe(),
      tempSpaceProbe(),
      tzdataProbe(),
      userExistsProbe(),
      // worker: the build area and how the worker runs
      linuxOnly(bootProbe()),
      buildareaProbe(),
      linuxOnly(workerRunningProbe()),
      // The rehearsal acts in the session the environment family reads.
      linuxOnly(workerRehearsalProbe(readServiceEnvironment)),
  };
}

const Registry& builtinRegistry() {
  static const Registry registry(builtinProbes());
  return registry;
}

}  // namespace bbcheck
