// Why a check ends without its probe's own outcome: the one answer to "why
// did this not run (or not finish)", whoever decided it: the caller (--only,
// --skip, the stage), the profile (not applicable here), the plan (a need
// did not pass) or the executor (a signal, the run's deadline).
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

struct SkipReason {
  enum class Kind {
    NotSelected,    // --only or --skip left it out; never blocks a check that needs it
    Excluded,       // another reason the caller gave before the run (the stage)
    NotApplicable,  // the check does not apply here (platforms, when/unless)
    Blocked,        // a check it needs ended without passing
    Interrupted,    // a signal stopped the run first
    Deadline,       // the run's deadline came first
  };

  Kind kind = Kind::Excluded;
  std::string message;  // what the reports say

  // skip, except blocked (Blocked) and error (Deadline: the host may be at fault).
  Status status() const;

  static SkipReason notSelected(std::string why) { return {Kind::NotSelected, std::move(why)}; }
  static SkipReason excluded(std::string why) { return {Kind::Excluded, std::move(why)}; }
  static SkipReason notApplicable(std::string why) { return {Kind::NotApplicable, std::move(why)}; }
  // "needs dns, which failed"
  static SkipReason blocked(const std::string& needId, Status needStatus);
  static SkipReason interrupted() { return {Kind::Interrupted, "interrupted"}; }
  // "still running at the run's deadline (2s)" / "not started before ..."
  static SkipReason deadline(bool wasRunning, Milliseconds runDeadline);
};

// "0.3s", "120s": how run and probe time limits read in messages.
std::string secondsText(Milliseconds ms);

}  // namespace bbcheck
