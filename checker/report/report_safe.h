// The report boundary: every reporter renders a SafeReport, a copy of the
// run's report in which every string from the host or a profile has passed
// through safeText (checker/safe_text.h). Reporters then only have to escape
// what their format needs, with their library (Poco JSON/XML, yaml-cpp).
#pragma once

#include "checker/report/run_report.h"

namespace bbcheck {

class SafeReport {
 public:
  explicit SafeReport(const RunReport& report);
  SafeReport(const SafeReport&) = delete;
  SafeReport& operator=(const SafeReport&) = delete;

  const RunReport& get() const { return report_; }

 private:
  Profile profile_;  // the report's results point into this copy
  RunReport report_;
};

}  // namespace bbcheck
