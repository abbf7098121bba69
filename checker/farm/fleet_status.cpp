#include "checker/farm/fleet_status.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/Timestamp.h>
#include <fmt/format.h>

#include "checker/farm/fleet_client.h"

namespace bbcheck {
namespace {

using JsonArray = Poco::JSON::Array;
using JsonObject = Poco::JSON::Object;

JsonArray::Ptr listOrThrow(const JsonObject::Ptr& reply, const std::string& key) {
  JsonArray::Ptr list = reply ? reply->getArray(key) : nullptr;
  if (!list)
    throw FleetError(
        fmt::format("the master's reply has no \"{}\" list: not a Buildbot REST API answer", key));
  return list;
}

JsonObject::Ptr objectAt(const JsonArray::Ptr& list, size_t i, const std::string& what) {
  JsonObject::Ptr o = list->getObject(static_cast<unsigned>(i));
  if (!o) throw FleetError(fmt::format("the master's {} list holds a non-object", what));
  return o;
}

// A member of the given type, or the fallback when absent or null; a member
// of another type is the master's error, not ours to guess at.
template <typename T>
T member(const JsonObject::Ptr& o, const std::string& key, const T& fallback,
         const std::string& what) {
  if (!o->has(key) || o->isNull(key)) return fallback;
  try {
    return o->getValue<T>(key);
  } catch (const Poco::Exception&) {
    throw FleetError(fmt::format("the master's {} has a \"{}\" of the wrong type", what, key));
  }
}

// A Buildbot property is [value, source].
Poco::Dynamic::Var propertyValue(const JsonObject::Ptr& properties, const std::string& name) {
  if (!properties || !properties->has(name)) return {};
  JsonArray::Ptr pair = properties->getArray(name);
  if (!pair || pair->size() < 1) return {};
  return pair->get(0);
}

std::string stringOf(const Poco::Dynamic::Var& v) {
  return v.isString() ? v.extract<std::string>() : std::string();
}

}  // namespace

std::string fleetProblem(const WorkerStatus& worker, const FleetClock& clock) {
  if (!worker.connected) return "disconnected";
  if (!worker.check.checked) return "never checked";
  double age = clock.now - worker.check.finished_at;
  if (age > clock.max_age)
    return fmt::format("checked {} ago, over --max-age {}", ageText(age), ageText(clock.max_age));
  if (worker.check.verdict.empty()) return "no report";
  if (worker.check.verdict != "ready") return worker.check.verdict;
  return "";
}

bool holdsFleetBack(const WorkerStatus& worker, const FleetClock& clock) {
  return !fleetProblem(worker, clock).empty();
}

std::string isoTimeText(double unixSeconds) {
  constexpr double kLast = 253402300799.0;  // 9999-12-31T23:59:59Z
  if (!(unixSeconds > 0)) unixSeconds = 0;  // negative, or NaN
  if (unixSeconds > kLast) unixSeconds = kLast;
  // Poco's Timestamp counts microseconds in 64 bits on every architecture.
  Poco::Timestamp t(static_cast<Poco::Timestamp::TimeVal>(unixSeconds) * 1000000);
  return Poco::DateTimeFormatter::format(t, Poco::DateTimeFormat::ISO8601_FORMAT);
}

std::string ageText(double seconds) {
  // A master's times are outside data: NaN, negative or absurd ages are
  // clamped before they are cast (1e303 s found by fuzz_master_reply).
  if (!(seconds > 0)) seconds = 0;
  if (seconds > 1e15) seconds = 1e15;
  if (seconds < 120) return fmt::format("{}s", static_cast<int64_t>(seconds));
  if (seconds < 7200) return fmt::format("{}m", static_cast<int64_t>(seconds / 60));
  if (seconds < 172800) return fmt::format("{}h", static_cast<int64_t>(seconds / 3600));
  return fmt::format("{}d", static_cast<int64_t>(seconds / 86400));
}

std::vector<WorkerStatus> parseWorkers(const JsonObject::Ptr& reply) {
  JsonArray::Ptr list = listOrThrow(reply, "workers");
  std::vector<WorkerStatus> workers;
  for (size_t i = 0; i < list->size(); ++i) {
    JsonObject::Ptr w = objectAt(list, i, "workers");
    WorkerStatus status;
    status.id = member<int64_t>(w, "workerid", 0, "worker");
    status.name = member<std::string>(w, "name", "", "worker");
    if (status.name.empty())
      throw FleetError("the master's workers list holds a worker without a name");
    JsonArray::Ptr connectedTo = w->getArray("connected_to");
    status.connected = connectedTo && connectedTo->size() > 0;
    status.paused = member<bool>(w, "paused", false, "worker");
    workers.push_back(std::move(status));
  }
  return workers;
}

std::vector<BuilderRef> parseBbcheckBuilders(const JsonObject::Ptr& reply,
                                             const std::string& prefix) {
  JsonArray::Ptr list = listOrThrow(reply, "builders");
  std::vector<BuilderRef> builders;
  for (size_t i = 0; i < list->size(); ++i) {
    JsonObject::Ptr b = objectAt(list, i, "builders");
    std::string name = member<std::string>(b, "name", "", "builder");
    if (name.rfind(prefix, 0) != 0) continue;
    builders.push_back({member<int64_t>(b, "builderid", 0, "builder"), name});
  }
  return builders;
}

WorkerCheck parseLatestBuild(const JsonObject::Ptr& reply, const std::string& builder,
                             int64_t* workerId) {
  JsonArray::Ptr list = listOrThrow(reply, "builds");
  WorkerCheck check;
  check.builder = builder;
  if (list->size() == 0) return check;
  JsonObject::Ptr b = objectAt(list, 0, "builds");
  check.checked = true;
  check.build_number = member<int64_t>(b, "number", 0, "build");
  check.finished_at = member<double>(b, "complete_at", 0.0, "build");
  check.result = member<int>(b, "results", -1, "build");
  check.state = member<std::string>(b, "state_string", "", "build");
  *workerId = member<int64_t>(b, "workerid", 0, "build");
  JsonObject::Ptr props = b->getObject("properties");
  check.verdict = stringOf(propertyValue(props, "bbcheck_verdict"));
  check.version = stringOf(propertyValue(props, "bbcheck_version"));
  Poco::Dynamic::Var failed = propertyValue(props, "bbcheck_failed");
  if (failed.type() == typeid(JsonArray::Ptr)) {
    JsonArray::Ptr ids = failed.extract<JsonArray::Ptr>();
    for (size_t i = 0; ids && i < ids->size(); ++i)
      if (ids->get(static_cast<unsigned>(i)).isString())
        check.failed.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
  }
  Poco::Dynamic::Var notPassing = propertyValue(props, "bbcheck_not_passing");
  if (notPassing.type() == typeid(JsonArray::Ptr)) {
    JsonArray::Ptr items = notPassing.extract<JsonArray::Ptr>();
    for (size_t i = 0; items && i < items->size(); ++i) {
      JsonObject::Ptr item = items->getObject(static_cast<unsigned>(i));
      if (!item) continue;
      check.not_passing.push_back({member<std::string>(item, "id", "", "bbcheck_not_passing"),
                                   member<std::string>(item, "severity", "", "bbcheck_not_passing"),
                                   member<std::string>(item, "status", "", "bbcheck_not_passing")});
    }
  } else {
    for (const auto& id : check.failed) check.not_passing.push_back({id, "", ""});
  }
  Poco::Dynamic::Var summary = propertyValue(props, "bbcheck_summary");
  if (summary.type() == typeid(JsonObject::Ptr)) {
    JsonObject::Ptr counts = summary.extract<JsonObject::Ptr>();
    for (const auto& name : counts->getNames())
      if (counts->get(name).isInteger()) check.summary[name] = counts->getValue<int64_t>(name);
  }
  return check;
}

}  // namespace bbcheck
