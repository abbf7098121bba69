#include "checker/fleet_status.h"

#include <Poco/JSON/Array.h>
#include <fmt/format.h>

#include "checker/fleet_client.h"

namespace bbcheck {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Array::Ptr listOrThrow(const Object::Ptr& reply, const std::string& key) {
  Array::Ptr list = reply ? reply->getArray(key) : nullptr;
  if (!list)
    throw FleetError(
        fmt::format("the master's reply has no \"{}\" list: not a Buildbot REST API answer", key));
  return list;
}

Object::Ptr objectAt(const Array::Ptr& list, size_t i, const std::string& what) {
  Object::Ptr o = list->getObject(static_cast<unsigned>(i));
  if (!o) throw FleetError(fmt::format("the master's {} list holds a non-object", what));
  return o;
}

// A member of the given type, or the fallback when absent or null; a member
// of another type is the master's error, not ours to guess at.
template <typename T>
T member(const Object::Ptr& o, const std::string& key, const T& fallback, const std::string& what) {
  if (!o->has(key) || o->isNull(key)) return fallback;
  try {
    return o->getValue<T>(key);
  } catch (const Poco::Exception&) {
    throw FleetError(fmt::format("the master's {} has a \"{}\" of the wrong type", what, key));
  }
}

// A Buildbot property is [value, source].
Poco::Dynamic::Var propertyValue(const Object::Ptr& properties, const std::string& name) {
  if (!properties || !properties->has(name)) return {};
  Array::Ptr pair = properties->getArray(name);
  if (!pair || pair->size() < 1) return {};
  return pair->get(0);
}

std::string stringOf(const Poco::Dynamic::Var& v) {
  return v.isString() ? v.extract<std::string>() : std::string();
}

}  // namespace

bool holdsFleetBack(const WorkerStatus& worker) {
  return worker.connected && worker.check.verdict != "ready";
}

std::vector<WorkerStatus> parseWorkers(const Object::Ptr& reply) {
  Array::Ptr list = listOrThrow(reply, "workers");
  std::vector<WorkerStatus> workers;
  for (size_t i = 0; i < list->size(); ++i) {
    Object::Ptr w = objectAt(list, i, "workers");
    WorkerStatus status;
    status.id = member<int64_t>(w, "workerid", 0, "worker");
    status.name = member<std::string>(w, "name", "", "worker");
    if (status.name.empty())
      throw FleetError("the master's workers list holds a worker without a name");
    Array::Ptr connectedTo = w->getArray("connected_to");
    status.connected = connectedTo && connectedTo->size() > 0;
    status.paused = member<bool>(w, "paused", false, "worker");
    workers.push_back(std::move(status));
  }
  return workers;
}

std::vector<BuilderRef> parseBbcheckBuilders(const Object::Ptr& reply, const std::string& prefix) {
  Array::Ptr list = listOrThrow(reply, "builders");
  std::vector<BuilderRef> builders;
  for (size_t i = 0; i < list->size(); ++i) {
    Object::Ptr b = objectAt(list, i, "builders");
    std::string name = member<std::string>(b, "name", "", "builder");
    if (name.rfind(prefix, 0) != 0) continue;
    builders.push_back({member<int64_t>(b, "builderid", 0, "builder"), name});
  }
  return builders;
}

WorkerCheck parseLatestBuild(const Object::Ptr& reply, const std::string& builder,
                             int64_t* workerId) {
  Array::Ptr list = listOrThrow(reply, "builds");
  WorkerCheck check;
  check.builder = builder;
  if (list->size() == 0) return check;
  Object::Ptr b = objectAt(list, 0, "builds");
  check.checked = true;
  check.build_number = member<int64_t>(b, "number", 0, "build");
  check.finished_at = member<double>(b, "complete_at", 0.0, "build");
  check.result = member<int>(b, "results", -1, "build");
  check.state = member<std::string>(b, "state_string", "", "build");
  *workerId = member<int64_t>(b, "workerid", 0, "build");
  Object::Ptr props = b->getObject("properties");
  check.verdict = stringOf(propertyValue(props, "bbcheck_verdict"));
  check.version = stringOf(propertyValue(props, "bbcheck_version"));
  Poco::Dynamic::Var failed = propertyValue(props, "bbcheck_failed");
  if (failed.type() == typeid(Array::Ptr)) {
    Array::Ptr ids = failed.extract<Array::Ptr>();
    for (size_t i = 0; ids && i < ids->size(); ++i)
      if (ids->get(static_cast<unsigned>(i)).isString())
        check.failed.push_back(ids->getElement<std::string>(static_cast<unsigned>(i)));
  }
  Poco::Dynamic::Var summary = propertyValue(props, "bbcheck_summary");
  if (summary.type() == typeid(Object::Ptr)) {
    Object::Ptr counts = summary.extract<Object::Ptr>();
    for (const auto& name : counts->getNames())
      if (counts->get(name).isInteger()) check.summary[name] = counts->getValue<int64_t>(name);
  }
  return check;
}

}  // namespace bbcheck
