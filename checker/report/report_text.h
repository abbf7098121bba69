// The report a person reads: checks grouped by their id's first segment,
// failures repeated at the end with their fixes, and a one-line verdict.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

struct TextStyle {
  bool color = false;
  bool quiet = false;    // -q: the verdict line only
  bool verbose = false;  // -v: title, why, fix, observed and expected under every check
  bool brief = false;    // what needs fixing and the verdict (bbcheck request without -v)
};

std::string renderText(const RunReport& report, const TextStyle& style);

}  // namespace bbcheck
