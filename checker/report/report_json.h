// The JSON report, published as schema/report-v1.schema.json. The farm's
// onboarding form ingests it, so its shape changes only with the schema.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

std::string renderJson(const RunReport& report);

}  // namespace bbcheck
