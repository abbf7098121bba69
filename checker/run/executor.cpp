#include "checker/run/executor.h"

#include <Poco/Exception.h>
#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <utility>

#include "probes/program_limit.h"

namespace bbcheck {

struct Executor::Board {
  std::mutex mutex;
  std::condition_variable changed;                   // a probe returned, or a stop came
  std::vector<std::pair<size_t, Outcome>> returned;  // by check, in the order they returned
};

namespace {

// A probe that overstays its timeout by more than this is abandoned: its
// thread is left to finish on its own and its result is ignored.
constexpr Milliseconds kAbandonGrace{250};
// How often progress is reported, when someone watches it.
constexpr Milliseconds kProgressEvery{100};
// How often the stop flag is looked at when no StopWatcher thread could be
// started (only then: otherwise a stop wakes the executor itself).
constexpr Milliseconds kStopLook{50};
// The pause before a check's next try doubles from this, up to kRetryPauseMax:
// a service coming up is found soon, one that stays down is not hammered.
constexpr Milliseconds kRetryPause{250};
constexpr Milliseconds kRetryPauseMax{2000};

Milliseconds since(Clock::time_point start, Clock::time_point now) {
  return std::chrono::duration_cast<Milliseconds>(now - start);
}

Outcome runProbe(const ProbeKind* kind, const Params& params, const ProbeContext& context) {
  if (!kind) return Outcome::error("probe failed: unknown probe kind");
  try {
    return kind->run(params, context);
  } catch (const Poco::Exception& e) {
    return Outcome::error("probe failed: " + e.displayText());
  } catch (const std::exception& e) {
    return Outcome::error(std::string("probe failed: ") + e.what());
  }
}

Outcome runDerived(const DerivedCheck& derived, const std::vector<CheckResult>& inputs,
                   const ProbeContext& context) {
  try {
    return derived.run(inputs, context);
  } catch (const std::exception& e) {
    return Outcome::error(std::string("check failed: ") + e.what());
  }
}

// A probe's outcome as the check's result; `blocked` is the plan's alone.
void takeOutcome(CheckResult& result, Outcome outcome) {
  result.status = outcome.status == Status::Blocked ? Status::Error : outcome.status;
  result.message = std::move(outcome.message);
  result.observed = std::move(outcome.observed);
  result.expected = std::move(outcome.expected);
  result.fix = std::move(outcome.fix);
}

}  // namespace

Executor::Executor(const Profile& profile, Plan& plan, const SchedulerOptions& options)
    : profile_(profile),
      plan_(plan),
      options_(options),
      board_(std::make_shared<Board>()),
      results_(profile.checks.size()),
      first_started_(profile.checks.size()) {
  for (size_t i = 0; i < results_.size(); ++i) {
    results_[i].check = &profile.checks[i];
    results_[i].selected = i >= options.selected.size() || options.selected[i];
  }
  run_deadline_ = Clock::now() + options.deadline;
  retry_end_ = Clock::now() + std::min(options.retry_for, options.deadline);
}

Executor::~Executor() = default;

std::vector<CheckResult> Executor::run() {
  // The watcher notifies under the board's mutex after the flag is set, so
  // waitForEvent() either sees the flag or is already waiting when it
  // comes. A stop raised before this run began wakes it at once, and the
  // loop's first look at the flag stops the run before anything starts.
  std::optional<StopWatcher> watcher;
  if (options_.stop) {
    try {
      watcher.emplace(*options_.stop, [board = board_] {
        std::lock_guard<std::mutex> lock(board->mutex);
        board->changed.notify_all();
      });
    } catch (const std::system_error&) {
      // No thread to spare (RLIMIT_NPROC): look at the flag on a timer.
      look_for_stop_ = true;
    }
  }
  Clock::time_point nextProgress = Clock::now() + kProgressEvery;
  while (!plan_.finished()) {
    collectFinished();
    if (interrupted()) {
      settleRetries();
      stop(SkipReason::interrupted(), SkipReason::interrupted());
      settleAfterInterrupt();
      break;
    }
    Clock::time_point now = Clock::now();
    if (now >= run_deadline_) {
      settleRetries();
      stop(SkipReason::deadline(false, options_.deadline),
           SkipReason::deadline(true, options_.deadline));
      break;
    }
    abandonOverdue(now);
    startRetries(now);
    startReady();
    if (plan_.finished()) break;
    if (options_.on_progress && Clock::now() >= nextProgress) {
      reportProgress();
      nextProgress = Clock::now() + kProgressEvery;
    }
    waitForEvent(nextWake(nextProgress));
  }
  reportProgress();
  for (size_t i = 0; i < results_.size(); ++i)
    if (plan_.skipReason(i)) results_[i] = resultSoFar(i);
  return std::move(results_);
}

// Takes what probe threads returned. A result for a check no longer
// running (abandoned at its timeout) comes too late and is dropped.
void Executor::collectFinished() {
  std::vector<std::pair<size_t, Outcome>> returned;
  {
    std::lock_guard<std::mutex> lock(board_->mutex);
    returned.swap(board_->returned);
  }
  Clock::time_point now = Clock::now();
  for (auto& [check, outcome] : returned) {
    auto running = running_.find(check);
    if (running == running_.end()) continue;
    results_[check].duration_ms = since(first_started_[check], now).count();
    takeOutcome(results_[check], std::move(outcome));
    running_.erase(running);
    if (retryLater(check, now)) continue;
    plan_.markFinished(check, results_[check].status);
  }
}

// A probe past its timeout (and the grace) is abandoned, unless it waits on
// local programs that are still within their CPU budget: those stop
// themselves by the run's deadline, and the probe returns then.
void Executor::abandonOverdue(Clock::time_point now) {
  std::vector<size_t> overdue;
  for (auto& [check, running] : running_) {
    if (now < running.hard_stop) continue;
    if (running.work->busyWithin(now, kAbandonGrace)) {
      running.hard_stop = std::min(now + kAbandonGrace, run_deadline_);
      continue;
    }
    overdue.push_back(check);
  }
  for (size_t check : overdue) {
    CheckResult& r = results_[check];
    r.duration_ms = since(first_started_[check], now).count();
    r.status = Status::Error;
    std::string load = hostLoadText();
    r.message = fmt::format("probe did not return within its timeout ({}){}",
                            secondsText(timeoutOf(check)), load.empty() ? "" : "; " + load);
    r.fix = outOfTimeFix();
    running_.erase(check);
    plan_.markFinished(check, r.status);
  }
}

// Whether a check that just returned runs again (--retry-for): it did not
// pass, it is a probe's (a derived check judges other results), and its
// next try starts before the retry time is used and can end before the
// run's deadline. Its result so far stands until then.
bool Executor::retryLater(size_t check, Clock::time_point now) {
  if (options_.retry_for <= Milliseconds(0) || results_[check].status == Status::Pass) return false;
  if (options_.derived.count(profile_.checks[check].id)) return false;
  Milliseconds pause = kRetryPause * (1 << std::min(results_[check].tries - 1, 4));
  Clock::time_point at = now + std::min(pause, kRetryPauseMax);
  if (at >= retry_end_ || at + timeoutOf(check) + kAbandonGrace > run_deadline_) return false;
  retry_at_[check] = at;
  return true;
}

// Runs again the checks whose pause is over, while jobs are free. One that
// gets no thread keeps the result it has.
void Executor::startRetries(Clock::time_point now) {
  for (auto it = retry_at_.begin(); it != retry_at_.end();) {
    if (running_.size() >= static_cast<size_t>(std::max(options_.jobs, 0))) return;
    if (it->second > now) {
      ++it;
      continue;
    }
    size_t check = it->first;
    it = retry_at_.erase(it);
    if (!launch(check).empty()) plan_.markFinished(check, results_[check].status);
  }
}

// The run ends before their next try: their last result is their result.
void Executor::settleRetries() {
  for (const auto& [check, at] : retry_at_) plan_.markFinished(check, results_[check].status);
  retry_at_.clear();
}

// Starts ready checks in profile order while jobs are free. When no thread
// can be had, the check waits for a running one to return (its thread is
// then free); with none running, it is this check's error, and the run and
// its reports go on.
void Executor::startReady() {
  while (running_.size() < static_cast<size_t>(std::max(options_.jobs, 0))) {
    std::optional<size_t> next = plan_.nextReady();
    if (!next) return;
    std::string refused = launch(*next);
    if (refused.empty()) continue;
    if (!running_.empty()) return;
    results_[*next].duration_ms = 0;
    results_[*next].status = Status::Error;
    results_[*next].message = fmt::format("the probe could not start: {}", refused);
    plan_.markFinished(*next, Status::Error);
  }
}

// "" when the check now runs on the pool, else why no thread took it.
std::string Executor::launch(size_t check) {
  const Check& c = profile_.checks[check];
  ProbeContext context;
  context.timeout = timeoutOf(check);
  Clock::time_point now = Clock::now();
  context.deadline = std::min(now + context.timeout, run_deadline_);
  context.run_deadline = run_deadline_;
  context.work = std::make_shared<LocalWork>();
  std::function<Outcome()> work;
  auto derived = options_.derived.find(c.id);
  if (derived != options_.derived.end()) {
    std::vector<CheckResult> inputs;
    for (size_t input : plan_.inputs(check)) inputs.push_back(resultSoFar(input));
    work = [runner = derived->second, inputs = std::move(inputs), context] {
      return runDerived(runner, inputs, context);
    };
  } else {
    work = [kind = c.kind, params = c.params, context] { return runProbe(kind, params, context); };
  }
  std::string refused = pool_.tryRun([board = board_, check, work = std::move(work)] {
    Outcome outcome = work();
    std::lock_guard<std::mutex> lock(board->mutex);
    board->returned.emplace_back(check, std::move(outcome));
    board->changed.notify_all();
  });
  if (!refused.empty()) return refused;
  bool retry = first_started_[check] != Clock::time_point{};  // launched before
  if (!retry) {
    plan_.markStarted(check);
    first_started_[check] = now;
    results_[check].tries = 0;
  }
  ++results_[check].tries;
  // A probe that honours its deadline returns then; on a loaded host its
  // thread may wait that long again for a CPU to return on. Only a probe
  // that ignores its deadline is abandoned, at twice its timeout.
  running_[check] = {now,
                     std::min(context.deadline + context.timeout, run_deadline_) + kAbandonGrace,
                     context.work};
  return "";
}

// Ends the run early: what runs or waits gets `running` or `notStarted`.
void Executor::stop(const SkipReason& notStarted, const SkipReason& running) {
  Clock::time_point now = Clock::now();
  for (size_t check : plan_.stopUnfinished(notStarted, running))
    results_[check].duration_ms = since(first_started_[check], now).count();
  running_.clear();
}

// Stops what the interrupted probes started, then gives their threads a
// moment to return, so that they remove their own scratch files.
void Executor::settleAfterInterrupt() {
  if (options_.on_interrupt) options_.on_interrupt();
  pool_.waitQuiet(options_.interrupt_grace);
}

bool Executor::interrupted() const {
  return options_.stop && options_.stop->raised();
}

// The earliest of: the run's deadline, a running probe's hard stop and the
// next progress tick (when watched). A returned probe or a stop wakes the
// executor sooner.
Clock::time_point Executor::nextWake(Clock::time_point nextProgress) const {
  Clock::time_point wake = run_deadline_;
  for (const auto& entry : running_) wake = std::min(wake, entry.second.hard_stop);
  for (const auto& entry : retry_at_) wake = std::min(wake, entry.second);
  if (options_.on_progress) wake = std::min(wake, nextProgress);
  if (look_for_stop_) wake = std::min(wake, Clock::now() + kStopLook);
  return wake;
}

void Executor::waitForEvent(Clock::time_point until) {
  std::unique_lock<std::mutex> lock(board_->mutex);
  board_->changed.wait_until(lock, until,
                             [this] { return !board_->returned.empty() || interrupted(); });
}

void Executor::reportProgress() const {
  if (!options_.on_progress) return;
  Progress p;
  p.done = plan_.done();
  p.total = plan_.size();
  Clock::time_point now = Clock::now();
  for (const auto& [check, running] : running_) {
    Milliseconds elapsed = since(running.started, now);
    if (p.slowest_running.empty() || elapsed > p.slowest_elapsed) {
      p.slowest_running = profile_.checks[check].id;
      p.slowest_elapsed = elapsed;
    }
  }
  options_.on_progress(p);
}

// A check's result as far as it is known: what its probe returned, or why
// the plan or the executor ended it without that.
CheckResult Executor::resultSoFar(size_t check) const {
  CheckResult r = results_[check];
  if (const std::optional<SkipReason>& skipped = plan_.skipReason(check)) {
    r.status = skipped->status();
    r.message = skipped->message;
  }
  return r;
}

Milliseconds Executor::timeoutOf(size_t check) const {
  return options_.timeout.value_or(profile_.checks[check].timeout);
}

}  // namespace bbcheck
