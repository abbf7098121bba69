// Elsewhere than Linux nothing is started in the service's environment yet
// (switching user, limits and umask for one child is written for Linux):
// the process does not start, and says why. The service-env probe, whose
// checks would be re-run there, says it is not supported here
// (probes/builtin/).
#include "probes/registry.h"
#include "probes/service_environment.h"

namespace bbcheck {

ProcessResult runInServiceEnvironment(const ServiceEnvironment&, const std::string&,
                                      const std::vector<std::string>&, Clock::time_point) {
  ProcessResult result;
  result.start_error = kNotSupportedHere;
  return result;
}

}  // namespace bbcheck
