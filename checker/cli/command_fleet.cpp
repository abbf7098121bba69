#include "checker/cli/command_fleet.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "checker/cli/exit_codes.h"
#include "checker/farm/fleet_client.h"
#include "checker/profile/units.h"
#include "checker/report/safe_text.h"
#include "checker/report/text_wrap.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// The first line of the file, without its line end: how password files are
// usually written (echo secret > file). Refused, as ssh refuses such a key,
// when the file is open to anyone but its owner: the secret is not one then.
std::string readPassword(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    throw FleetError(fmt::format(
        "--password-file {}: its mode {:04o} lets others than its owner read it; a password "
        "must be private: chmod 600 {}",
        path, st.st_mode & 07777, path));
  std::ifstream in(path);
  if (!in) throw FleetError(fmt::format("--password-file {}: cannot read it", path));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw FleetError(fmt::format("--password-file {}: it is empty", path));
  return line;
}

// Worker statuses joined with the latest finished build of each bbcheck
// builder. A build is matched to its worker by the worker id the master
// recorded, not by the builder's name.
std::vector<WorkerStatus> readFleet(MasterClient& client, const std::string& prefix) {
  std::vector<WorkerStatus> workers = parseWorkers(client.get("workers"));
  for (const BuilderRef& builder : parseBbcheckBuilders(client.get("builders"), prefix)) {
    int64_t workerId = 0;
    WorkerCheck check = parseLatestBuild(
        client.get(fmt::format("builders/{}/builds?complete=true&order=-number&limit=1&property=*",
                               builder.id)),
        builder.name, &workerId);
    if (!check.checked) continue;
    for (auto& w : workers) {
      bool newer = !w.check.checked || check.finished_at > w.check.finished_at;
      if (w.id == workerId && newer) w.check = check;
    }
  }
  std::sort(workers.begin(), workers.end(),
            [](const WorkerStatus& a, const WorkerStatus& b) { return a.name < b.name; });
  return workers;
}

std::string ago(double seconds) {
  return ageText(seconds) + " ago";
}

// "1 worker", "2 workers", "0 workers".
std::string counted(size_t n, const std::string& noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

// The checks a worker's latest build did not pass, by severity, most
// severe first; blocked ones only counted (their cause is listed).
std::string notPassingText(const WorkerCheck& check) {
  std::vector<std::string> order = {"required", "recommended", "info", ""};
  std::map<std::string, std::vector<std::string>> bySeverity;
  size_t blocked = 0;
  for (const NotPassing& np : check.not_passing) {
    if (np.status == "blocked") {
      ++blocked;
      continue;
    }
    if (std::find(order.begin(), order.end(), np.severity) == order.end())
      order.push_back(np.severity);
    bySeverity[np.severity].push_back(np.id);
  }
  std::vector<std::string> parts;
  for (const std::string& severity : order) {
    auto ids = bySeverity.find(severity);
    if (ids == bySeverity.end()) continue;
    std::string list = joinedWith(ids->second, ", ");
    parts.push_back(severity.empty() ? list : severity + ": " + list);
  }
  if (blocked > 0) parts.push_back(fmt::format("{} blocked", blocked));
  return joinedWith(parts, "; ");
}

// "ready", "not_ready", "interrupted", or what happened when the build set no
// verdict: "no report" (bbcheck could not run) or "never checked".
std::string verdictText(const WorkerCheck& check) {
  if (!check.checked) return "never checked";
  if (!check.verdict.empty()) return check.verdict;
  return "no report";
}

}  // namespace

std::string renderFleetText(const std::vector<WorkerStatus>& workers, const std::string& master,
                            const FleetClock& clock) {
  // The name column is capped: a longer name is cut and ends in "…", so one
  // huge name from the master cannot pad every line.
  constexpr size_t kMaxNameColumn = 40;
  size_t nameWidth = 6;
  for (const auto& w : workers)
    nameWidth = std::max(nameWidth, std::min(displayWidth(safeLine(w.name)), kMaxNameColumn));
  std::string out = fmt::format("bbcheck fleet: {} on {}\n\n", counted(workers.size(), "worker"),
                                safeLine(redactedUrl(master)));
  out += fmt::format("{:<{}}  {:<12}  {:<38}  {:<13}  {}\n", "WORKER", nameWidth, "CONNECTION",
                     "LAST CHECKED", "VERDICT", "NOT PASSING");
  size_t ready = 0, connected = 0;
  std::map<std::string, size_t> problems;  // why workers hold the fleet back
  std::vector<std::string> problemOrder;
  for (const auto& w : workers) {
    std::string connection = w.connected ? (w.paused ? "paused" : "connected") : "disconnected";
    double age = clock.now - w.check.finished_at;
    std::string when = w.check.checked ? fmt::format("{} ({}{})", isoTimeText(w.check.finished_at),
                                                     ago(age), age > clock.max_age ? ", stale" : "")
                                       : "-";
    std::string failing = notPassingText(w.check);
    if (w.check.checked && w.check.verdict.empty() && !w.check.state.empty())
      failing = "build: " + w.check.state;
    out += fmt::format("{:<{}}  {:<12}  {:<38}  {:<13}  {}\n",
                       fitToWidth(safeLine(w.name), kMaxNameColumn), nameWidth, connection, when,
                       safeLine(verdictText(w.check)), safeLine(failing));
    connected += w.connected;
    std::string problem = fleetProblem(w, clock);
    if (problem.empty()) {
      ++ready;
      continue;
    }
    // Stale ages differ per worker: one line for them all.
    if (problem.rfind("checked ", 0) == 0)
      problem = "last checked over --max-age " + ageText(clock.max_age) + " ago";
    if (problems[problem]++ == 0) problemOrder.push_back(problem);
  }
  size_t held = workers.size() - ready;
  std::vector<std::string> why;
  for (const std::string& p : problemOrder) why.push_back(fmt::format("{} {}", problems[p], p));
  out += "\n";
  if (held == 0)
    out += fmt::format("READY: {} ready", counted(ready, "worker"));
  else
    out += fmt::format("NOT READY: {} {} the fleet back ({})", counted(held, "worker"),
                       held == 1 ? "holds" : "hold", joinedWith(why, ", "));
  out += fmt::format("; {} ready, {} connected, of {}\n", ready, connected,
                     counted(workers.size(), "worker"));
  return out;
}

std::string renderFleetJson(const std::vector<WorkerStatus>& workers, const std::string& master,
                            const FleetClock& clock) {
  using Poco::JSON::Array;
  using Poco::JSON::Object;
  Object::Ptr root = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  root->set("schema", "bbcheck-fleet/1");
  root->set("master", redactedUrl(master));
  root->set("max_age_seconds", clock.max_age);
  Array::Ptr list = new Array();
  bool allReady = true;
  for (const auto& w : workers) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("name", safeLine(w.name));
    o->set("connected", w.connected);
    o->set("paused", w.paused);
    o->set("checked", w.check.checked);
    std::string problem = fleetProblem(w, clock);
    o->set("ready", problem.empty());
    if (!problem.empty()) o->set("problem", problem);
    if (w.check.checked) {
      o->set("checked_at", isoTimeText(w.check.finished_at));
      o->set("stale", clock.now - w.check.finished_at > clock.max_age);
      o->set("builder", safeLine(w.check.builder));
      o->set("build_number", w.check.build_number);
      o->set("build_result", w.check.result);
      o->set("build_state", safeLine(w.check.state));
      o->set("verdict", w.check.verdict.empty() ? Poco::Dynamic::Var()
                                                : Poco::Dynamic::Var(safeLine(w.check.verdict)));
      Array::Ptr failed = new Array();
      for (const auto& id : w.check.failed) failed->add(safeLine(id));
      o->set("failed", failed);
      Array::Ptr notPassing = new Array();
      for (const NotPassing& np : w.check.not_passing) {
        Object::Ptr item = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
        item->set("id", np.id);
        item->set("severity",
                  np.severity.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(np.severity));
        item->set("status",
                  np.status.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(np.status));
        notPassing->add(item);
      }
      o->set("not_passing", notPassing);
      Object::Ptr summary = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const auto& [status, count] : w.check.summary) summary->set(safeLine(status), count);
      o->set("summary", summary);
      o->set("bbcheck_version", safeLine(w.check.version));
    }
    allReady &= problem.empty();
    list->add(o);
  }
  root->set("ready", allReady);
  root->set("workers", list);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(root, out, 2);
  out << "\n";
  return out.str();
}

CommandRunner defineFleetCommand(CLI::App& command) {
  auto args = std::make_shared<FleetArgs>();
  command.add_option("--master", args->master, "the master's URL, e.g. http://buildbot:8010/")
      ->required();
  command.add_option("--format", args->format,
                     joinedWith(kFleetFormats, " or ") + " (default text)");
  command.add_option("--user", args->user, "log in as this user (default: anonymous)");
  command.add_option("--password-file", args->password_file,
                     "file whose first line is --user's password");
  command.add_option("--builder-prefix", args->builder_prefix,
                     "names of the bbcheck builders start with this (default bbcheck-)");
  command.add_option("--timeout", args->timeout,
                     "for each request to the master, answered in full (default 10s)");
  command.add_option("--deadline", args->deadline, "for the whole command (default 2m)");
  command.add_option("--max-age", args->max_age,
                     fmt::format("a worker whose latest check is older holds the fleet back "
                                 "(default {}: the builder checks nightly)",
                                 kDefaultMaxAge));
  return [args] { return fleetCommand(*args); };
}

int fleetCommand(const FleetArgs& args) {
  if (std::find(kFleetFormats.begin(), kFleetFormats.end(), args.format) == kFleetFormats.end())
    throw FleetError(
        fmt::format("--format {}: expected {}", args.format, joinedWith(kFleetFormats, " or ")));
  if (args.user.empty() != args.password_file.empty())
    throw FleetError("--user and --password-file go together");
  auto timeout = parseDuration(args.timeout);
  if (!timeout || *timeout <= 0)
    throw FleetError(fmt::format("--timeout {}: expected a duration like 10s", args.timeout));
  auto maxAge = parseDuration(args.max_age);
  if (!maxAge || *maxAge <= 0)
    throw FleetError(fmt::format("--max-age {}: expected a duration like 26h", args.max_age));
  auto deadline = parseDuration(args.deadline);
  if (!deadline || *deadline <= 0)
    throw FleetError(fmt::format("--deadline {}: expected a duration like 2m", args.deadline));
  MasterClient client(args.master, std::chrono::milliseconds(*timeout),
                      MasterClient::Clock::now() + std::chrono::milliseconds(*deadline));
  if (!args.user.empty()) {
    std::string password = readPassword(args.password_file);
    std::string warning = client.plainHttpWarning();
    if (!warning.empty()) std::cerr << "bbcheck: warning: " << warning << "\n";
    client.login(args.user, password);
  }
  std::vector<WorkerStatus> workers = readFleet(client, args.builder_prefix);
  FleetClock clock;
  clock.now = static_cast<double>(Poco::Timestamp().epochMicroseconds()) / 1e6;
  clock.max_age = static_cast<double>(*maxAge) / 1000.0;
  std::cout << (args.format == "json" ? renderFleetJson(workers, args.master, clock)
                                      : renderFleetText(workers, args.master, clock))
            << std::flush;
  // Disconnected, never checked, stale or not ready: the exit says so.
  bool anyHeldBack = std::any_of(workers.begin(), workers.end(), [&clock](const WorkerStatus& w) {
    return holdsFleetBack(w, clock);
  });
  return anyHeldBack ? kExitNotReady : kExitReady;
}

}  // namespace bbcheck
