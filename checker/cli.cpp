#include "checker/cli.h"

#include <cstdio>

namespace bbcheck {

int runCli(int, char**) {
  std::puts("bbcheck " BBCHECK_VERSION);
  return 0;
}

}  // namespace bbcheck
