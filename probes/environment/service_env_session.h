// The worker's session, rehearsed (service_env_session.cpp).
#pragma once

#include "probes/environment/service_env.h"

namespace bbcheck::service_env_session {

// Opens the session the worker's manager opens (env.pam_service, through
// bbcheck-session) with `bbcheck-session --describe` as the program, and
// records what the worker's process really starts with: every variable
// (PAM's among them), the limits pam_limits left, the umask. PAM's refusal
// goes to env.refusal; what could not be rehearsed to env.notes.
void rehearse(ServiceEnvironment& env, Clock::time_point deadline);

}  // namespace bbcheck::service_env_session
