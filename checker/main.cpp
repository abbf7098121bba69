#include "checker/cli.h"

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  int code = bbcheck::runCli(argc, argv);
  // A probe abandoned at its timeout may still be running on a detached
  // thread; leave without running static destructors under its feet.
  std::fflush(nullptr);
  std::_Exit(code);
}
