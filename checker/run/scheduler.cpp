#include "checker/run/scheduler.h"

#include <Poco/Exception.h>
#include <fmt/format.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "checker/run/thread_pool.h"

namespace bbcheck {
namespace {

// A probe that overstays its timeout by more than this is abandoned: its
// thread is left to finish on its own and its result is ignored.
constexpr Milliseconds kGrace{250};
// How often the loop wakes to notice SIGINT and refresh progress.
constexpr Milliseconds kTick{50};

enum class State { Waiting, Running, Done };

// Shared with probe threads, which may outlive runChecks when abandoned.
struct Board {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Outcome>> finished;  // set by probe threads
};

const char* outcomeVerb(Status status) {
  switch (status) {
    case Status::Fail:
      return "failed";
    case Status::Error:
      return "could not be decided";
    case Status::Blocked:
      return "is blocked itself";
    case Status::Skip:
      return "was skipped";
    case Status::Pass:
      return "passed";
  }
  return "did not pass";
}

std::string secondsText(Milliseconds ms) {
  return fmt::format("{:.3g}s", ms.count() / 1000.0);
}

Outcome runProbe(const ProbeKind& kind, const Params& params, const ProbeContext& context) {
  try {
    return kind.run(params, context);
  } catch (const Poco::Exception& e) {
    return Outcome::error("probe failed: " + e.displayText());
  } catch (const std::exception& e) {
    return Outcome::error(std::string("probe failed: ") + e.what());
  }
}

template <typename Derived>
Outcome runDerived(const Derived& derived, const std::vector<CheckResult>& after,
                   const ProbeContext& context) {
  try {
    return derived(after, context);
  } catch (const std::exception& e) {
    return Outcome::error(std::string("check failed: ") + e.what());
  }
}

class Run {
 public:
  Run(const Profile& profile, const std::vector<std::string>& skipReasons,
      const SchedulerOptions& options)
      : profile_(profile),
        skipReasons_(skipReasons),
        options_(options),
        board_(std::make_shared<Board>()) {
    size_t n = profile.checks.size();
    results_.resize(n);
    state_.assign(n, State::Waiting);
    started_.resize(n);
    hardStop_.resize(n);
    board_->finished.resize(n);
    for (size_t i = 0; i < n; ++i) {
      results_[i].check = &profile.checks[i];
      results_[i].selected = i >= options.selected.size() || options.selected[i];
      index_[profile.checks[i].id] = i;
    }
    runDeadline_ = Clock::now() + options.deadline;
  }

  std::vector<CheckResult> run() {
    std::unique_lock<std::mutex> lock(board_->mutex);
    auto lastProgress = Clock::now();
    while (done_ < results_.size()) {
      collectFinished();
      if (options_.interrupted && options_.interrupted->load()) {
        finishAll(Status::Skip, [](State) { return std::string("interrupted"); });
        lock.unlock();
        settleAfterInterrupt();
        lock.lock();
        break;
      }
      if (Clock::now() >= runDeadline_) {
        finishAll(Status::Error, [this](State s) {
          return s == State::Running ? fmt::format("still running at the run's deadline ({})",
                                                   secondsText(options_.deadline))
                                     : fmt::format("not started before the run's deadline ({})",
                                                   secondsText(options_.deadline));
        });
        break;
      }
      abandonOverdue();
      startReady();
      if (done_ == results_.size()) break;
      if (options_.on_progress && Clock::now() - lastProgress >= Milliseconds(100)) {
        lock.unlock();
        reportProgress();
        lock.lock();
        lastProgress = Clock::now();
      }
      board_->changed.wait_until(lock, nextWake());
    }
    lock.unlock();
    reportProgress();
    return std::move(results_);
  }

 private:
  // Earliest of: the next tick, the run's deadline, a running probe's hard stop.
  Clock::time_point nextWake() const {
    Clock::time_point wake = std::min(Clock::now() + kTick, runDeadline_);
    for (size_t i = 0; i < state_.size(); ++i)
      if (state_[i] == State::Running) wake = std::min(wake, hardStop_[i]);
    return wake;
  }

  void collectFinished() {
    for (size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] != State::Running || !board_->finished[i]) continue;
      Outcome outcome = std::move(*board_->finished[i]);
      board_->finished[i].reset();
      --running_;
      CheckResult& r = results_[i];
      r.duration_ms = std::chrono::duration_cast<Milliseconds>(Clock::now() - started_[i]).count();
      r.status = outcome.status == Status::Blocked ? Status::Error : outcome.status;
      r.message = std::move(outcome.message);
      r.observed = std::move(outcome.observed);
      r.expected = std::move(outcome.expected);
      r.fix = std::move(outcome.fix);
      state_[i] = State::Done;
      ++done_;
    }
  }

  void abandonOverdue() {
    auto now = Clock::now();
    for (size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] != State::Running || now < hardStop_[i]) continue;
      --running_;
      CheckResult& r = results_[i];
      r.duration_ms = std::chrono::duration_cast<Milliseconds>(now - started_[i]).count();
      r.status = Status::Error;
      r.message =
          fmt::format("probe did not return within its timeout ({})", secondsText(timeoutOf(i)));
      state_[i] = State::Done;
      ++done_;
    }
  }

  template <typename MessageFor>
  void finishAll(Status status, MessageFor messageFor) {
    auto now = Clock::now();
    for (size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] == State::Done) continue;
      CheckResult& r = results_[i];
      if (state_[i] == State::Running)
        r.duration_ms = std::chrono::duration_cast<Milliseconds>(now - started_[i]).count();
      r.status = status;
      r.message = messageFor(state_[i]);
      state_[i] = State::Done;
      ++done_;
    }
    running_ = 0;
  }

  Milliseconds timeoutOf(size_t i) const {
    return options_.timeout.value_or(profile_.checks[i].timeout);
  }

  // A needed check that ended without passing, or nothing; sets `waiting`
  // when some needed check has not finished yet. A need the selection left
  // out does not count: the check runs and says what it sees.
  const CheckResult* failedNeed(const Check& check, bool& waiting) const {
    waiting = false;
    for (const auto& id : check.needs) {
      size_t j = index_.at(id);
      if (!results_[j].selected) continue;
      if (state_[j] != State::Done) {
        waiting = true;
        continue;
      }
      if (results_[j].status != Status::Pass) return &results_[j];
    }
    for (const auto& id : check.after)
      if (state_[index_.at(id)] != State::Done) waiting = true;
    return nullptr;
  }

  // Repeats until nothing changes, so a chain of blocked or skipped checks
  // settles at once rather than one link per wake-up.
  void startReady() {
    size_t before;
    do {
      before = done_ + static_cast<size_t>(running_);
      startReadyOnce();
    } while (done_ + static_cast<size_t>(running_) != before);
  }

  void startReadyOnce() {
    for (size_t i = 0; i < state_.size(); ++i) {
      if (state_[i] != State::Waiting) continue;
      const Check& check = profile_.checks[i];
      if (!skipReasons_[i].empty()) {
        completeWithout(i, Status::Skip, skipReasons_[i]);
        continue;
      }
      bool waiting = false;
      if (const CheckResult* need = failedNeed(check, waiting)) {
        completeWithout(
            i, Status::Blocked,
            fmt::format("needs {}, which {}", need->check->id, outcomeVerb(need->status)));
        continue;
      }
      if (waiting) continue;
      if (!check.not_applicable.empty()) {
        completeWithout(i, Status::Skip, check.not_applicable);
        continue;
      }
      if (running_ >= options_.jobs) continue;
      launch(i);
    }
  }

  void completeWithout(size_t i, Status status, std::string message) {
    results_[i].status = status;
    results_[i].message = std::move(message);
    state_[i] = State::Done;
    ++done_;
  }

  // Starts check i on the pool. When no thread can be had, the check waits
  // for a running one to finish; with none running, it is this check's error
  // (the run and its reports go on).
  void launch(size_t i) {
    const Check& check = profile_.checks[i];
    const ProbeKind* kind = check.kind;
    ProbeContext context;
    context.timeout = timeoutOf(i);
    auto now = Clock::now();
    context.deadline = std::min(now + context.timeout, runDeadline_);
    std::shared_ptr<Board> board = board_;
    Params params = check.params;
    auto derived = check.derived;
    std::vector<CheckResult> after;
    for (const auto& id : check.after) after.push_back(results_[index_.at(id)]);
    std::string refused = pool_.tryRun([board, kind, params, context, i, derived, after] {
      Outcome outcome =
          derived ? runDerived(derived, after, context) : runProbe(*kind, params, context);
      std::lock_guard<std::mutex> guard(board->mutex);
      board->finished[i] = std::move(outcome);
      board->changed.notify_all();
    });
    if (!refused.empty()) {
      if (running_ == 0) {
        results_[i].duration_ms = 0;
        completeWithout(i, Status::Error, fmt::format("the probe could not start: {}", refused));
      }
      return;
    }
    started_[i] = now;
    hardStop_[i] = context.deadline + kGrace;
    state_[i] = State::Running;
    ++running_;
  }

  // Stops what the interrupted probes started, then gives their threads a
  // moment to return, so that they remove their own scratch files.
  void settleAfterInterrupt() {
    if (options_.on_interrupt) options_.on_interrupt();
    pool_.waitQuiet(options_.interrupt_grace);
  }

  void reportProgress() {
    if (!options_.on_progress) return;
    Progress p;
    {  // state_ and started_ belong to this thread; no lock needed
      p.done = done_;
      p.total = results_.size();
      auto now = Clock::now();
      for (size_t i = 0; i < state_.size(); ++i) {
        if (state_[i] != State::Running) continue;
        auto elapsed = std::chrono::duration_cast<Milliseconds>(now - started_[i]);
        if (p.slowest_running.empty() || elapsed > p.slowest_elapsed) {
          p.slowest_running = profile_.checks[i].id;
          p.slowest_elapsed = elapsed;
        }
      }
    }
    options_.on_progress(p);
  }

  const Profile& profile_;
  const std::vector<std::string>& skipReasons_;
  const SchedulerOptions& options_;
  std::shared_ptr<Board> board_;
  ThreadPool pool_;
  std::vector<CheckResult> results_;
  std::vector<State> state_;
  std::vector<Clock::time_point> started_;
  std::vector<Clock::time_point> hardStop_;
  std::map<std::string, size_t> index_;
  Clock::time_point runDeadline_;
  size_t done_ = 0;
  int running_ = 0;
};

}  // namespace

std::vector<CheckResult> runChecks(const Profile& profile,
                                   const std::vector<std::string>& skipReasons,
                                   const SchedulerOptions& options) {
  return Run(profile, skipReasons, options).run();
}

}  // namespace bbcheck
