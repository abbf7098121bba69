#include "checker/run/worker_instances.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "checker/profile/vars.h"
#include "checker/run/stage.h"

namespace bbcheck {
namespace fs = std::filesystem;

namespace {

// Two spellings of one directory ("~/buildarea" expanded, a symlink) are
// one worker.
std::string comparable(const std::string& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::path(path), ec);
  std::string out = ec ? path : canonical.string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string idSafe(const std::string& name) {
  std::string out;
  for (char c : name) {
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_' ||
              lower == '-';
    out += ok ? lower : '-';
  }
  while (!out.empty() && (out[0] == '-' || out[0] == '_')) out.erase(0, 1);
  while (!out.empty() && (out.back() == '-' || out.back() == '_')) out.pop_back();
  return out.empty() ? "worker" : out;
}

bool sameCheck(const Check& a, const Check& b) {
  return a.params.all() == b.params.all() && a.title == b.title && a.fix == b.fix &&
         a.why == b.why && a.not_applicable == b.not_applicable;
}

}  // namespace

bool workerVarSet(const Profile& profile, const std::vector<std::string>& sets) {
  if (!profile.worker_gate || profile.worker_gate->worker_var.empty()) return false;
  std::string prefix = profile.worker_gate->worker_var + "=";
  return std::any_of(sets.begin(), sets.end(),
                     [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

std::vector<WorkerInstance> planWorkers(const Profile& profile,
                                        const std::vector<std::string>& sets,
                                        const std::vector<WorkerSighting>& found) {
  std::vector<WorkerInstance> workers;
  if (!profile.worker_gate || profile.worker_gate->worker_var.empty()) return workers;
  const std::string& var = profile.worker_gate->worker_var;
  auto value = profile.vars.find(var);
  std::string named = value == profile.vars.end() ? "" : expandHome(value->second);
  bool setByUser = workerVarSet(profile, sets);
  for (const WorkerSighting& s : found) workers.push_back({s.path, s.found_by, !setByUser, ""});
  if (named.empty()) return workers;
  auto same = std::find_if(workers.begin(), workers.end(), [&](const WorkerInstance& w) {
    return comparable(w.path) == comparable(named);
  });
  std::string how =
      setByUser ? fmt::format("--set {}", var) : fmt::format("the profile's {} var", var);
  if (same != workers.end()) {
    // Named and found: the one checked, its path as the user wrote it.
    same->found_by.push_back(how);
    same->checked = true;
    return workers;
  }
  // The default build area counts when its gate path is there, as before
  // bbcheck looked for workers; a named one is checked whatever it holds.
  if (setByUser || gatePathExists(profile.worker_gate->path))
    workers.push_back({named, {how}, true, ""});
  return workers;
}

std::vector<const WorkerInstance*> checkedWorkers(const std::vector<WorkerInstance>& workers) {
  std::vector<const WorkerInstance*> out;
  for (const WorkerInstance& w : workers)
    if (w.checked) out.push_back(&w);
  return out;
}

void nameWorkerInstances(std::vector<WorkerInstance>& workers) {
  if (checkedWorkers(workers).size() < 2) return;
  std::set<std::string> taken;
  for (WorkerInstance& w : workers) {
    if (!w.checked) continue;
    std::string base = idSafe(fs::path(w.path).filename().string());
    std::string name = base;
    for (int n = 2; !taken.insert(name).second; ++n) name = fmt::format("{}-{}", base, n);
    w.suffix = name;
  }
}

Profile instantiateWorkers(const std::vector<Profile>& perWorker,
                           const std::vector<const WorkerInstance*>& workers) {
  const Profile& first = perWorker.front();
  size_t n = first.checks.size();
  std::vector<bool> perInstance(n, false);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < n; ++i) {
    index[first.checks[i].id] = i;
    perInstance[i] = first.checks[i].stage == Stage::Worker;
    for (const Profile& other : perWorker)
      if (!sameCheck(first.checks[i], other.checks[i])) perInstance[i] = true;
  }
  // A check that needs a per-worker check is one too (its need has no
  // single id any more).
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; ++i)
      for (const std::string& need : first.checks[i].needs)
        if (!perInstance[i] && index.count(need) && perInstance[index[need]])
          perInstance[i] = changed = true;
  }
  Profile merged = first;
  merged.checks.clear();
  for (size_t i = 0; i < n; ++i) {
    if (!perInstance[i]) {
      merged.checks.push_back(first.checks[i]);
      continue;
    }
    for (size_t k = 0; k < perWorker.size(); ++k) {
      Check c = perWorker[k].checks[i];
      c.instance_of = c.id;
      c.id += "." + workers[k]->suffix;
      c.title += fmt::format(" (worker {})", workers[k]->path);
      for (std::string& need : c.needs)
        if (index.count(need) && perInstance[index[need]]) need += "." + workers[k]->suffix;
      merged.checks.push_back(std::move(c));
    }
  }
  return merged;
}

}  // namespace bbcheck
