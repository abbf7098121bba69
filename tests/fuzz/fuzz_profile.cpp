// Fuzzes the profile loader: any text is either a profile or a ProfileError
// (exit 2 with file:line:column), never a crash, hang or other exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "checker/profile/profile_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Relative `extends` resolve against a directory with no profiles in it.
    bbcheck::loadProfileText(text, "/nonexistent-bbcheck-fuzz/fuzz.yaml");
  } catch (const bbcheck::ProfileError&) {
  }
  return 0;
}
