// The report a person reads. At a glance (report_text_glance.h): the
// verdict and counts first, one line per group where everything passed,
// then each problem once with its fix. With -v the full listing: every
// check under its group, then what to fix, then the verdict.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

struct TextStyle {
  bool color = false;
  bool quiet = false;    // -q: the verdict line only
  bool verbose = false;  // -v: title, why, fix, observed and expected under every check
  bool brief = false;    // what needs fixing and the verdict (bbcheck request without -v)
  size_t width = 0;      // the terminal's columns to wrap to; 0: no wrapping
};

std::string renderText(const RunReport& report, const TextStyle& style);

}  // namespace bbcheck
