// JUnit XML for CI: one testsuite per profile, one testcase per check; a
// check that does not count for the verdict is <skipped>, so that Jenkins and
// GitLab do not fail the pipeline of a READY host.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

std::string renderJunit(const RunReport& report);

}  // namespace bbcheck
