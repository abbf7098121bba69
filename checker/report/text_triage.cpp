// Sorting a run's results for the at-a-glance text report (see text_triage.h).
#include "checker/report/text_triage.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "checker/report/report.h"
#include "checker/report/text_wrap.h"

namespace bbcheck {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr size_t kFactWidth = 40;

bool isProblem(const CheckResult& r, Severity failOn) {
  return (r.status == Status::Fail || r.status == Status::Error) && !isInfoNote(r, failOn);
}

// The listed results, by index, and what the triage learns about each.
class Triage {
 public:
  explicit Triage(const RunReport& report)
      : report_(report),
        listed_(listedResults(report)),
        rerunOf_(listed_.size(), kNone),
        causeOf_(listed_.size(), kNone) {
    for (size_t i = 0; i < listed_.size(); ++i) index_.emplace(listed_[i]->check->id, i);
    findReruns();
    findCauses();
  }

  TextTriage run() {
    TextTriage t;
    passingGroups(t);
    problems(t);
    notesAndWaits(t);
    return t;
  }

 private:
  const CheckResult& at(size_t i) const { return *listed_[i]; }
  Status statusAt(size_t i) const { return listed_[i]->status; }

  // A service-environment re-run is "<E>.<X>" right after E (and the other
  // re-runs of E), X another check: service_rerun.h inserts them so.
  void findReruns() {
    for (size_t e = 0; e + 1 < listed_.size(); ++e) {
      std::string prefix = at(e).check->id + ".";
      size_t i = e + 1;
      for (; i < listed_.size(); ++i) {
        const std::string& id = at(i).check->id;
        if (id.compare(0, prefix.size(), prefix) != 0) break;
        if (!index_.count(std::string_view(id).substr(prefix.size()))) break;
        rerunOf_[i] = e;
      }
      if (i > e + 1) e = i - 1;  // a re-run is not an environment check itself
    }
  }

  // The first need of check i that did not pass, kNone when there is none
  // listed (left out by --only, or absent from a received report).
  size_t firstUnmetNeed(size_t i) const {
    for (const std::string& need : at(i).check->needs) {
      auto found = index_.find(need);
      if (found != index_.end() && statusAt(found->second) != Status::Pass) return found->second;
    }
    return kNone;
  }

  // For each blocked check, the problem at the root of its chain of blocked
  // needs, or kNone. Each check is walked once; a loop of needs ends the walk.
  void findCauses() {
    std::vector<char> state(listed_.size(), 0);  // 0 new, 1 on the walk, 2 done
    std::vector<size_t> walk;
    for (size_t start = 0; start < listed_.size(); ++start) {
      if (statusAt(start) != Status::Blocked || state[start]) continue;
      size_t root = kNone;
      for (size_t i = start;;) {
        state[i] = 1;
        walk.push_back(i);
        size_t need = firstUnmetNeed(i);
        if (need == kNone || state[need] == 1) break;  // unknown cause, or a loop
        if (state[need] == 2) {
          root = causeOf_[need];
          break;
        }
        if (statusAt(need) != Status::Blocked) {
          root = isProblem(at(need), report_.fail_on) ? need : kNone;
          break;
        }
        i = need;
      }
      for (size_t i : walk) {
        causeOf_[i] = root;
        state[i] = 2;
      }
      walk.clear();
    }
  }

  void passingGroups(TextTriage& t) const {
    std::vector<std::string> order;
    std::map<std::string, PassingGroup> groups;
    std::unordered_set<std::string> spoiled;
    std::map<std::string, std::unordered_set<std::string>> factsSeen;
    std::vector<char> hasReruns(listed_.size(), 0);
    for (size_t i = 0; i < listed_.size(); ++i)
      if (rerunOf_[i] != kNone) hasReruns[rerunOf_[i]] = 1;
    for (size_t i = 0; i < listed_.size(); ++i) {
      if (rerunOf_[i] != kNone) continue;  // said by the re-runs' own line
      const CheckResult& r = at(i);
      std::string group = groupOf(r.check->id);
      if (r.status == Status::Waived) spoiled.insert(group);  // said on its own line
      if (r.status == Status::Fail || r.status == Status::Error || r.status == Status::Blocked) {
        if (!isInfoNote(r, report_.fail_on)) spoiled.insert(group);
        continue;
      }
      if (r.status != Status::Pass || hasReruns[i]) continue;
      auto [it, fresh] = groups.try_emplace(group, PassingGroup{group, ""});
      if (fresh) order.push_back(group);
      std::string fact = fitToWidth(factOf(r.message), kFactWidth);
      if (fact.empty() || !factsSeen[group].insert(fact).second) continue;
      it->second.facts += (it->second.facts.empty() ? "" : ", ") + fact;
    }
    for (const std::string& name : order)
      if (!spoiled.count(name)) t.passing.push_back(groups[name]);
  }

  // The most severe of a problem and of the checks it blocked: a
  // recommended check that keeps a required one from running comes first.
  void problems(TextTriage& t) const {
    std::vector<size_t> slot(listed_.size(), kNone);
    std::map<std::string, size_t> elsewhere;
    for (size_t i = 0; i < listed_.size(); ++i) {
      if (!isProblem(at(i), report_.fail_on)) continue;
      slot[i] = t.problems.size();
      t.problems.push_back({listed_[i], {}});
    }
    for (size_t i = 0; i < listed_.size(); ++i) {
      if (statusAt(i) != Status::Blocked) continue;
      if (causeOf_[i] != kNone) {
        t.problems[slot[causeOf_[i]]].blocked.push_back(listed_[i]);
        continue;
      }
      auto [it, fresh] = elsewhere.try_emplace(at(i).message, t.blocked_elsewhere.size());
      if (fresh) t.blocked_elsewhere.push_back({at(i).message, {}});
      t.blocked_elsewhere[it->second].blocked.push_back(listed_[i]);
    }
    // Stable: profile order within a severity.
    std::vector<std::pair<Severity, size_t>> ranked;
    for (size_t p = 0; p < t.problems.size(); ++p) {
      Severity most = t.problems[p].result->check->severity;
      for (const CheckResult* b : t.problems[p].blocked) most = std::min(most, b->check->severity);
      ranked.emplace_back(most, p);
    }
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Problem> sorted;
    for (const auto& [severity, p] : ranked) sorted.push_back(std::move(t.problems[p]));
    t.problems = std::move(sorted);
  }

  void notesAndWaits(TextTriage& t) const {
    std::map<std::string, size_t> waitSlot;
    std::vector<size_t> rerunSlot(listed_.size(), kNone);
    std::vector<size_t> waitOfEnvironment(listed_.size(), kNone);
    for (size_t i = 0; i < listed_.size(); ++i) {
      const CheckResult& r = at(i);
      if (isInfoNote(r, report_.fail_on)) t.notes.push_back(&r);
      size_t e = rerunOf_[i];
      if (e == kNone) {
        if (r.status == Status::Skip && r.check->stage == Stage::Worker) {
          auto [it, fresh] = waitSlot.try_emplace(r.message, t.waits.size());
          if (fresh) t.waits.push_back({r.message, 0, 0});
          ++t.waits[it->second].checks;
          waitOfEnvironment[i] = it->second;
        }
        continue;
      }
      if (r.status == Status::Skip) {
        // Not re-run because the environment check itself waits.
        if (waitOfEnvironment[e] != kNone) ++t.waits[waitOfEnvironment[e]].reruns;
        continue;
      }
      if (rerunSlot[e] == kNone) {
        rerunSlot[e] = t.reruns.size();
        t.reruns.push_back({listed_[e], 0, 0});
      }
      ServiceReruns& s = t.reruns[rerunSlot[e]];
      if (r.status == Status::Blocked) continue;
      ++s.total;
      if (r.status == Status::Pass) ++s.agreeing;
    }
  }

  const RunReport& report_;
  std::vector<const CheckResult*> listed_;
  std::unordered_map<std::string_view, size_t> index_;  // id -> first listed index
  std::vector<size_t> rerunOf_;                         // the environment check, or kNone
  std::vector<size_t> causeOf_;                         // a blocked check's root problem
};

}  // namespace

bool isInfoNote(const CheckResult& result, Severity failOn) {
  bool notPassed = result.status == Status::Fail || result.status == Status::Error;
  return notPassed && result.check->severity == Severity::Info && !counts(result, failOn);
}

std::string factOf(const std::string& message) {
  size_t cut = message.size();
  for (const char* separator : {" (", ", ", "; ", ": ", " at ", " found", " by "})
    cut = std::min(cut, message.find(separator));
  return message.substr(0, cut);
}

TextTriage triage(const RunReport& report) {
  return Triage(report).run();
}

}  // namespace bbcheck
