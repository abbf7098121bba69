// systemd is Linux's: elsewhere no unit starts the worker, and the
// service-env probe says it is not supported here (probes/builtin/).
#include "probes/environment/service_env_systemd.h"

namespace bbcheck {

namespace service_env_detail {

bool systemdEnvironmentFor(const std::string&, const std::string&, ServiceEnvironment&) {
  return false;
}

}  // namespace service_env_detail

namespace service_env_systemd {

bool findUnit(const std::string&, const std::string&, const std::string&, Clock::time_point,
              ServiceEnvironment&) {
  return false;
}

}  // namespace service_env_systemd

}  // namespace bbcheck
