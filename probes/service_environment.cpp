// The registry of service-environment readers (the rest of the interface
// is implemented by the environment family that reads it).
#include "probes/service_environment.h"

namespace bbcheck {
namespace {

std::map<std::string, ServiceEnvironmentReader>& readers() {
  static std::map<std::string, ServiceEnvironmentReader> all;
  return all;
}

}  // namespace

bool registerServiceEnvironmentReader(const std::string& kind, ServiceEnvironmentReader reader) {
  readers()[kind] = std::move(reader);
  return true;
}

const ServiceEnvironmentReader* serviceEnvironmentReader(const std::string& kind) {
  auto it = readers().find(kind);
  return it == readers().end() ? nullptr : &it->second;
}

}  // namespace bbcheck
