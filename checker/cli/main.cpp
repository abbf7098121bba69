#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "checker/cli/cli.h"
#include "probes/process.h"

int main(int argc, char** argv) {
  // A probe writing to a program that already exited must get EPIPE, not die.
  std::signal(SIGPIPE, SIG_IGN);
  int code = bbcheck::runCli(argc, argv);
  // Programs that abandoned or interrupted probes started must not outlive us.
  bbcheck::killRunningProcesses();
#ifdef BBCHECK_SANITIZE
  // Sanitizer builds (presets asan, fuzz) leave normally, so that
  // LeakSanitizer's exit-time check runs on every test of the suite.
  return code;
#else
  // A probe abandoned at its timeout may still be running on a detached
  // thread; leave without running static destructors under its feet.
  std::fflush(nullptr);
  std::_Exit(code);
#endif
}
