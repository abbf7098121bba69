// The live line on a terminal while checks run: how many are done and which
// one has been running longest. Written to stderr and erased at the end.
#pragma once

#include "checker/run/scheduler.h"

namespace bbcheck {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  void show(const Progress& progress);
  void clear();

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace bbcheck
