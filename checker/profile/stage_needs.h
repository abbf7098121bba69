// The profile language's rule for stages (`stage: host|worker`): a check may
// need only checks of its own stage or an earlier one.
#pragma once

#include "checker/profile/profile.h"

namespace bbcheck {

// A host-stage check that needs a worker-stage one could only ever be
// blocked before the build area exists: a ProfileError at the check.
void checkStageNeeds(const Profile& profile);

}  // namespace bbcheck
