// TAP version 13; a check that does not count against the verdict is
// "not ok ... # TODO".
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

std::string renderTap(const RunReport& report);

}  // namespace bbcheck
