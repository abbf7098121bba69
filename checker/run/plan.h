// The pure half of running a profile, as ninja splits its Plan from its
// Builder (executor.h is the other half): which checks may start now, and
// which never will, and why. One slot per check, with a count of what it
// still waits for; a check becomes ready when that count reaches zero, and
// is blocked as soon as a need ends without passing. No threads and no
// clocks: the executor tells it what started and what finished, and tests
// drive it by hand.
//
// Rules (DESIGN.md "Results"):
//  - a check the caller skipped (--only, --skip, the stage) is done at once
//    with that reason, whatever it needs;
//  - a check waits for every check it needs, except those --only or --skip
//    left out (leaving a check out never blocks another by itself);
//  - it is blocked when a need ends without passing (skip included), naming
//    the first such need in the order the check lists them;
//  - a derived check (derived_check.h) also waits for its inputs, whatever
//    their status;
//  - once nothing is awaited, a check that does not apply here is skipped,
//    and any other is ready.
// Decisions are taken in passes over the waiting checks in profile order,
// repeated until nothing changes, as the scheduler always did: a check
// listed after a need that is decided in the same pass sees that decision.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/run/derived_check.h"
#include "checker/run/skip_reason.h"

namespace bbcheck {

class Plan {
 public:
  enum class State { Waiting, Ready, Running, Done };

  // `skipReasons`: one per check, "" when the caller lets it run.
  // `selected`: one per check, or empty (all): false for a check --only or
  // --skip left out (SchedulerOptions::selected).
  // `derived`: the checks that run from others' results, by id.
  Plan(const Profile& profile, const std::vector<std::string>& skipReasons,
       const std::vector<bool>& selected, const DerivedChecks& derived);

  size_t size() const { return slots_.size(); }
  size_t done() const { return done_; }
  bool finished() const { return done_ == slots_.size(); }
  State state(size_t check) const { return slots_[check].state; }
  // How a done check ended.
  Status status(size_t check) const { return slots_[check].status; }
  // Why a done check did not run or did not finish; empty when it ran to
  // its end (its result is the executor's).
  const std::optional<SkipReason>& skipReason(size_t check) const { return slots_[check].skipped; }
  // A derived check's inputs, in the order its runner reads them.
  const std::vector<size_t>& inputs(size_t check) const { return slots_[check].inputs; }

  // The ready check first in profile order, if any.
  std::optional<size_t> nextReady() const;
  // Ready -> Running.
  void markStarted(size_t check);
  // Ready or Running -> Done with `status` (its probe's, or the executor's
  // error when it could not start or overstayed its timeout); then the
  // checks waiting for it are released or blocked.
  void markFinished(size_t check, Status status);
  // Ends every check not done yet (a signal, the run's deadline): a running
  // one with `running`, any other with `notStarted`. Returns the checks that
  // were running.
  std::vector<size_t> stopUnfinished(const SkipReason& notStarted, const SkipReason& running);

 private:
  struct Dependant {
    size_t check;
    bool is_need;  // a need blocks it when it does not pass; an input never does
  };
  struct Slot {
    State state = State::Waiting;
    Status status = Status::Skip;  // once done
    std::optional<SkipReason> skipped;
    std::vector<size_t> needs;  // the ones it waits for, in the order it lists them
    std::vector<size_t> inputs;
    std::vector<Dependant> dependants;
    size_t pending = 0;       // needs and inputs not done yet
    size_t failed_needs = 0;  // needs done without passing
  };

  void finish(size_t check, Status status);
  void decide(size_t check);
  void settle();

  const Profile& profile_;
  std::vector<Slot> slots_;
  std::set<size_t> ready_;    // by profile order
  std::set<size_t> to_look_;  // waiting checks whose needs or inputs changed
  size_t done_ = 0;
};

}  // namespace bbcheck
