// bbcheck diff (see command_diff.h).
#include "checker/cli/command_diff.h"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "checker/cli/exit_codes.h"
#include "checker/report/report.h"
#include "checker/report/report_reader.h"
#include "checker/report/report_safe.h"
#include "checker/report/safe_text.h"
#include "checker/report/text_wrap.h"
#include "probes/human.h"

namespace bbcheck {
namespace {

// The check id column is at most this wide; a longer id is cut and marked
// "…", so one huge id cannot pad every line.
constexpr size_t kMaxIdColumn = 48;

bool bad(Status s) {
  return s == Status::Fail || s == Status::Error || s == Status::Blocked;
}

struct Change {
  const CheckResult* before = nullptr;
  const CheckResult* after = nullptr;
};

std::string compilerList(const HostFacts& host) {
  std::set<std::string> seen;
  std::string out;
  for (const auto& c : host.compilers) {
    std::string text = fmt::format("{} {}", c.name, c.version);
    if (seen.insert(text).second) out += (out.empty() ? "" : ", ") + text;
  }
  return out.empty() ? "none" : out;
}

// Host facts an admin cares about, as "name: before -> after" lines.
std::vector<std::string> hostChanges(const RunReport& before, const RunReport& after) {
  const HostFacts &a = before.host, &b = after.host;
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> facts = {
      {"hostname", {a.hostname, b.hostname}},
      {"os", {a.os + " " + a.os_version, b.os + " " + b.os_version}},
      {"kernel", {a.kernel, b.kernel}},
      {"arch", {a.arch, b.arch}},
      {"cpus", {std::to_string(a.cpus), std::to_string(b.cpus)}},
      {"memory", {humanBytes(a.memory_bytes), humanBytes(b.memory_bytes)}},
      {"virtualization", {a.virtualization, b.virtualization}},
      {"user",
       {fmt::format("{} (uid {})", a.user, a.uid), fmt::format("{} (uid {})", b.user, b.uid)}},
      {"compilers", {compilerList(a), compilerList(b)}},
      {"profile",
       {before.profile->name + " " + before.profile->sha256.substr(0, 12),
        after.profile->name + " " + after.profile->sha256.substr(0, 12)}},
      {"bbcheck", {before.tool_version, after.tool_version}},
  };
  std::vector<std::string> lines;
  for (const auto& [name, values] : facts)
    if (values.first != values.second)
      lines.push_back(fmt::format("{}: {} -> {}", name, values.first, values.second));
  // Memory shown in GiB may round two figures alike; the bytes tell.
  if (a.memory_bytes != b.memory_bytes && humanBytes(a.memory_bytes) == humanBytes(b.memory_bytes))
    lines.push_back(fmt::format("memory: {} -> {} bytes", a.memory_bytes, b.memory_bytes));
  return lines;
}

}  // namespace

std::string diffReports(const RunReport& receivedBefore, const RunReport& receivedAfter,
                        bool& regressed) {
  // Both pass the one text boundary: valid UTF-8, no controls, names on one line.
  const SafeReport safeBefore(receivedBefore), safeAfter(receivedAfter);
  const RunReport &before = safeBefore.get(), &after = safeAfter.get();
  std::map<std::string, const CheckResult*> old;
  for (const auto& r : before.results) old[r.check->id] = &r;
  std::vector<Change> regressions, fixes, others, added, removed;
  std::set<std::string> seen;
  size_t width = 2;
  for (const auto& r : after.results) {
    seen.insert(r.check->id);
    auto it = old.find(r.check->id);
    if (it == old.end()) {
      added.push_back({nullptr, &r});
    } else if (it->second->status != r.status) {
      Status was = it->second->status;
      // Worse means it passed and now does not; better, the other way.
      if (was == Status::Pass && bad(r.status))
        regressions.push_back({it->second, &r});
      else if (bad(was) && r.status == Status::Pass)
        fixes.push_back({it->second, &r});
      else
        others.push_back({it->second, &r});
    } else {
      continue;
    }
    width = std::max(width, std::min(displayWidth(r.check->id), kMaxIdColumn));
  }
  for (const auto& r : before.results) {
    if (seen.count(r.check->id)) continue;
    removed.push_back({&r, nullptr});
    width = std::max(width, std::min(displayWidth(r.check->id), kMaxIdColumn));
  }
  regressed = !regressions.empty();

  std::string out = fmt::format("bbcheck diff: {} at {} ({}) -> {} at {} ({})\n",
                                before.host.hostname, before.started_at, verdictName(before),
                                after.host.hostname, after.started_at, verdictName(after));
  auto section = [&](const char* title, const std::vector<Change>& changes) {
    if (changes.empty()) return;
    out += fmt::format("\n{} ({}):\n", title, changes.size());
    for (const Change& c : changes) {
      const CheckResult& now = c.after ? *c.after : *c.before;
      std::string move = c.before && c.after ? fmt::format("{} -> {}", statusName(c.before->status),
                                                           statusName(c.after->status))
                         : c.after           ? fmt::format("{}", statusName(c.after->status))
                                             : fmt::format("was {}", statusName(c.before->status));
      out += fmt::format("  {:<{}}  {:<17}  [{}] {}\n", fitToWidth(now.check->id, kMaxIdColumn),
                         width, move, severityName(now.check->severity),
                         safeLine(now.message.empty() ? now.check->title : now.message));
    }
  };
  section("Regressed", regressions);
  section("Fixed", fixes);
  section("Changed", others);
  section("New checks", added);
  section("Removed checks", removed);
  std::vector<std::string> facts = hostChanges(before, after);
  if (!facts.empty()) {
    out += fmt::format("\nHost facts changed ({}):\n", facts.size());
    for (const auto& line : facts) out += "  " + line + "\n";
  }
  if (verdictName(before) != verdictName(after))
    out += fmt::format("\nVerdict: {} -> {}\n", verdictName(before), verdictName(after));
  size_t changed =
      regressions.size() + fixes.size() + others.size() + added.size() + removed.size();
  if (changed == 0 && facts.empty())
    out += "\nNo check changed its status and no host fact changed.\n";
  else
    out +=
        fmt::format("\n{} regressed, {} fixed, {} changed otherwise, {} new, {} removed\n",
                    regressions.size(), fixes.size(), others.size(), added.size(), removed.size());
  return out;
}

int diffCommand(const std::string& oldPath, const std::string& newPath, std::ostream& out) {
  std::unique_ptr<ReceivedReport> before = readReport(oldPath);
  std::unique_ptr<ReceivedReport> after = readReport(newPath);
  bool regressed = false;
  out << diffReports(before->report, after->report, regressed) << std::flush;
  return regressed ? kExitNotReady : kExitReady;
}

CommandRunner defineDiffCommand(CLI::App& command) {
  struct DiffArgs {
    std::string oldPath;
    std::string newPath;
  };
  auto args = std::make_shared<DiffArgs>();
  command.add_option("old", args->oldPath, "the earlier JSON report")->required();
  command.add_option("new", args->newPath, "the later JSON report")->required();
  return [args] { return diffCommand(args->oldPath, args->newPath, std::cout); };
}

}  // namespace bbcheck
