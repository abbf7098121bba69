#include "checker/run/plan.h"

#include <stdexcept>
#include <unordered_map>

namespace bbcheck {

Plan::Plan(const Profile& profile, const std::vector<std::string>& skipReasons,
           const std::vector<bool>& selected, const DerivedChecks& derived)
    : profile_(profile), slots_(profile.checks.size()) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < slots_.size(); ++i) index[profile.checks[i].id] = i;
  auto isSelected = [&selected](size_t i) { return i >= selected.size() || selected[i]; };
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Check& check = profile.checks[i];
    Slot& slot = slots_[i];
    if (i < skipReasons.size() && !skipReasons[i].empty())
      slot.skipped = isSelected(i) ? SkipReason::excluded(skipReasons[i])
                                   : SkipReason::notSelected(skipReasons[i]);
    for (const std::string& id : check.needs) {
      size_t need = index.at(id);
      if (!isSelected(need)) continue;  // left out: not awaited, never blocks
      slot.needs.push_back(need);
      slots_[need].dependants.push_back({i, true});
      ++slot.pending;
    }
    auto runner = derived.find(check.id);
    if (runner != derived.end()) {
      for (const std::string& id : runner->second.inputs) {
        size_t input = index.at(id);
        slot.inputs.push_back(input);
        slots_[input].dependants.push_back({i, false});
        ++slot.pending;
      }
    }
    to_look_.insert(i);
  }
  settle();
}

std::optional<size_t> Plan::nextReady() const {
  if (ready_.empty()) return std::nullopt;
  return *ready_.begin();
}

void Plan::markStarted(size_t check) {
  if (slots_[check].state != State::Ready)
    throw std::logic_error("plan: " + profile_.checks[check].id + " started but was not ready");
  ready_.erase(check);
  slots_[check].state = State::Running;
}

void Plan::markFinished(size_t check, Status status) {
  State state = slots_[check].state;
  if (state != State::Ready && state != State::Running)
    throw std::logic_error("plan: " + profile_.checks[check].id + " finished but never started");
  finish(check, status);
  settle();
}

std::vector<size_t> Plan::stopUnfinished(const SkipReason& notStarted, const SkipReason& running) {
  std::vector<size_t> wasRunning;
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (slot.state == State::Done) continue;
    if (slot.state == State::Running) wasRunning.push_back(i);
    slot.skipped = slot.state == State::Running ? running : notStarted;
    finish(i, slot.skipped->status());
  }
  to_look_.clear();  // nothing is decided after a stop
  return wasRunning;
}

void Plan::finish(size_t check, Status status) {
  Slot& slot = slots_[check];
  ready_.erase(check);
  slot.state = State::Done;
  slot.status = status;
  ++done_;
  for (const Dependant& d : slot.dependants) {
    Slot& waiting = slots_[d.check];
    --waiting.pending;
    if (d.is_need && status != Status::Pass) ++waiting.failed_needs;
    if (waiting.state == State::Waiting) to_look_.insert(d.check);
  }
}

// What a waiting check becomes now, if anything.
void Plan::decide(size_t check) {
  Slot& slot = slots_[check];
  if (slot.state != State::Waiting) return;
  if (slot.skipped) {  // the caller's reason: done whatever it needs
    finish(check, slot.skipped->status());
    return;
  }
  if (slot.failed_needs > 0) {
    for (size_t need : slot.needs) {
      const Slot& n = slots_[need];
      if (n.state != State::Done || n.status == Status::Pass) continue;
      slot.skipped = SkipReason::blocked(profile_.checks[need].id, n.status);
      finish(check, slot.skipped->status());
      return;
    }
  }
  if (slot.pending > 0) return;
  const std::string& notApplicable = profile_.checks[check].not_applicable;
  if (!notApplicable.empty()) {
    slot.skipped = SkipReason::notApplicable(notApplicable);
    finish(check, slot.skipped->status());
    return;
  }
  slot.state = State::Ready;
  ready_.insert(check);
}

// Looks at the checks to look at in passes in profile order: one decided in
// this pass is seen by the checks after it in the same pass, and by those
// before it in the next (as a scan of the whole profile would, but without
// looking at checks nothing changed for).
void Plan::settle() {
  size_t from = 0;
  while (!to_look_.empty()) {
    auto next = to_look_.lower_bound(from);
    if (next == to_look_.end()) next = to_look_.begin();  // the next pass
    size_t check = *next;
    to_look_.erase(next);
    from = check + 1;
    decide(check);
  }
}

}  // namespace bbcheck
