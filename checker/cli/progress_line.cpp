#include "checker/cli/progress_line.h"

#include <fmt/format.h>

#include <cstdio>

namespace bbcheck {

void ProgressLine::show(const Progress& p) {
  if (!enabled_) return;
  std::string line = fmt::format("[{}/{}]", p.done, p.total);
  if (!p.slowest_running.empty())
    line += fmt::format(" waiting on {} ({:.1f}s)", p.slowest_running,
                        p.slowest_elapsed.count() / 1000.0);
  // \r returns to the start of the line, ESC[K erases what was there.
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace bbcheck
