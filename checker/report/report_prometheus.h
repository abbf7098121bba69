// The Prometheus report: node_exporter's textfile collector format, one
// file per worker under its textfile directory.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

std::string renderPrometheus(const RunReport& report);

}  // namespace bbcheck
