// The text report's verdict line, first in the at-a-glance report, last in
// the full listing (-v) and alone with -q: the verdict, what it is for, and
// the counts ("NOT READY to request a worker: 2 required checks did not pass
// (12 passed, 2 failed, 0 errors, 1 blocked, 3 skipped, 1 info in 4.21s)").
// Info notes are counted apart: they are never failures.
#pragma once

#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

struct VerdictLine {
  std::string word;   // "READY", "NOT READY to request a worker: 2 required checks did not pass"
  std::string tally;  // "12 passed, 2 failed, ... in 4.21s"
  const char* color;  // the word's ANSI colour

  // The whole line, without a newline; the word painted when `color`.
  std::string render(bool color) const;
};

VerdictLine verdictLine(const RunReport& report);

}  // namespace bbcheck
