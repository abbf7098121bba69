// Elsewhere than Linux nothing is started in the service's environment yet
// (the session helper, bbcheck-session, is built for Linux only): the
// process does not start, and says why. The service-env probe, whose checks
// would be re-run there, says it is not supported here (probes/builtin/).
#include "probes/program_limit.h"
#include "probes/registry.h"
#include "probes/service_environment.h"

namespace bbcheck {

SessionRun runInServiceSession(const ServiceEnvironment&, const std::string&,
                               const std::vector<std::string>&, const ProgramLimit&) {
  SessionRun run;
  run.result.start_error = kNotSupportedHere;
  return run;
}

ProcessResult runInServiceEnvironment(const ServiceEnvironment& env, const std::string& program,
                                      const std::vector<std::string>& args,
                                      const ProgramLimit& limit) {
  return runInServiceSession(env, program, args, limit).result;
}

std::string sessionHelperPath() {
  return "";
}

void useSessionHelper(const std::string&) {}

}  // namespace bbcheck
