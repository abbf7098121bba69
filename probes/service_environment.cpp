// Which probe kinds read the worker's service environment (the rest of the
// interface is implemented by the environment family that reads it).
#include "probes/service_environment.h"

namespace bbcheck {

const ServiceEnvironmentReader* serviceEnvironmentReader(const ProbeKind* kind) {
  if (kind == nullptr || !kind->read_service_environment) return nullptr;
  return &kind->read_service_environment;
}

}  // namespace bbcheck
