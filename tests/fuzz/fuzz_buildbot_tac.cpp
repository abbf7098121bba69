// Fuzzes the buildbot.tac reader: any text must parse without a crash, and
// the password must never reach what a report shows.
#include <cstddef>
#include <cstdint>
#include <string>

#include "probes/buildbot/buildbot_tac.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  bbcheck::BuildbotTac tac = bbcheck::parseBuildbotTac(text);
  bbcheck::masterEndpoint(tac);
  bbcheck::tacObserved(tac);
  return 0;
}
