// The JSON report, published as schema/report-v1.schema.json. The farm's
// onboarding form ingests it, so its shape changes only with the schema.
#include "checker/report/report_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "checker/report/report.h"
#include "checker/report/report_safe.h"
#include "checker/report/stop_signal_name.h"
#include "checker/report/value_format.h"
#include "checker/report/worker_request.h"

namespace bbcheck {
namespace {

using JsonArray = Poco::JSON::Array;
using JsonObject = Poco::JSON::Object;

JsonObject::Ptr newObject() {
  return new JsonObject(Poco::JSON_PRESERVE_KEY_ORDER);
}

JsonArray::Ptr stringArray(const std::vector<std::string>& items) {
  JsonArray::Ptr array = new JsonArray();
  for (const auto& item : items) array->add(item);
  return array;
}

JsonObject::Ptr hostObject(const HostFacts& host) {
  JsonObject::Ptr o = newObject();
  o->set("hostname", host.hostname);
  o->set("os", host.os);
  o->set("os_version", host.os_version);
  o->set("kernel", host.kernel);
  o->set("arch", host.arch);
  o->set("cpus", host.cpus);
  o->set("memory_bytes", host.memory_bytes);
  o->set("user", host.user);
  o->set("uid", host.uid);
  o->set("virtualization", host.virtualization);
  JsonArray::Ptr compilers = new JsonArray();
  for (const auto& c : host.compilers) {
    JsonObject::Ptr item = newObject();
    item->set("name", c.name);
    item->set("language", c.language);
    item->set("path", c.path);
    item->set("version", c.version);
    item->set("target", c.target);
    compilers->add(item);
  }
  o->set("compilers", compilers);
  JsonObject::Ptr proxies = newObject();
  for (const auto& [name, url] : host.proxies) proxies->set(name, url);
  o->set("proxies", proxies);
  return o;
}

JsonObject::Ptr checkObject(const CheckResult& r) {
  const Check& c = *r.check;
  JsonObject::Ptr o = newObject();
  o->set("id", c.id);
  o->set("title", c.title);
  o->set("probe", c.probe);
  o->set("severity", severityName(c.severity));
  o->set("stage", stageName(c.stage));
  o->set("status", statusName(r.status));
  if (!r.selected) o->set("selected", false);  // left out by --only or --skip
  o->set("message", r.message);
  o->set("observed", toJsonValue(r.observed));
  o->set("expected", toJsonValue(r.expected));
  o->set("duration_ms", r.duration_ms);
  if (r.tries > 1) o->set("tries", r.tries);  // --retry-for ran it again
  o->set("tags", stringArray(c.tags));
  o->set("needs", stringArray(c.needs));
  o->set("profile", c.origin);
  if (!c.why.empty()) o->set("why", c.why);
  if (r.waiver) {
    JsonObject::Ptr waiver = newObject();
    waiver->set("why", r.waiver->why);
    if (!r.waiver->until.empty()) waiver->set("until", r.waiver->until);
    if (r.waiver->expired)
      waiver->set("expired", true);
    else
      waiver->set("waived_status", statusName(r.waiver->was));
    o->set("waiver", waiver);
  }
  if (needsAttention(r)) {
    if (!fixOf(r).empty()) o->set("fix", fixOf(r));
    if (!c.docs.empty()) o->set("docs", c.docs);
  }
  return o;
}

JsonArray::Ptr workersArray(const std::vector<WorkerInstance>& workers) {
  JsonArray::Ptr array = new JsonArray();
  for (const WorkerInstance& w : workers) {
    JsonObject::Ptr o = newObject();
    o->set("path", w.path);
    if (!w.name.empty()) o->set("name", w.name);
    o->set("found_by", stringArray(w.found_by));
    o->set("checked", w.checked);
    if (!w.suffix.empty()) o->set("id_suffix", "." + w.suffix);
    array->add(o);
  }
  return array;
}

}  // namespace

std::string renderJson(const RunReport& received) {
  const SafeReport safe(received);  // host and profile text made safe to print
  const RunReport& report = safe.get();
  JsonObject::Ptr root = newObject();
  root->set("schema", "bbcheck-report/1");
  JsonObject::Ptr tool = newObject();
  tool->set("name", "bbcheck");
  tool->set("version", report.tool_version);
  root->set("tool", tool);
  JsonObject::Ptr profile = newObject();
  profile->set("name", report.profile->name);
  profile->set("description", report.profile->description);
  if (!report.profile->subject.empty()) profile->set("subject", report.profile->subject);
  profile->set("source", report.profile->source);
  profile->set("sha256", report.profile->sha256);
  root->set("profile", profile);
  root->set("host", hostObject(report.host));
  WorkerRequest request =
      report.worker_request ? *report.worker_request : workerRequest(report.host);
  JsonObject::Ptr form = newObject();
  form->set("architecture", request.architecture);
  form->set("operating_system", request.operating_system);
  form->set("special", request.special);
  root->set("worker_request", form);
  root->set("started_at", report.started_at);
  root->set("duration_ms", report.duration_ms);
  root->set("verdict", verdictName(report));
  if (report.interrupted && !stopSignalName(report.stop_signal).empty())
    root->set("interrupted_by", stopSignalName(report.stop_signal));
  root->set("stage", stageScopeName(report.stage));
  root->set("fail_on", severityName(report.fail_on));
  // Only when bbcheck found or was named a worker: reports of hosts with
  // none keep their shape.
  if (!report.workers.empty()) root->set("workers", workersArray(report.workers));
  StatusCounts counts = countStatuses(report.results);
  JsonObject::Ptr summary = newObject();
  for (Status s : kAllStatuses) summary->set(statusName(s), counts[static_cast<size_t>(s)]);
  summary->set("total", static_cast<int>(report.results.size()));
  root->set("summary", summary);
  JsonArray::Ptr checks = new JsonArray();
  for (const auto& r : report.results) checks->add(checkObject(r));
  root->set("checks", checks);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(root, out, 2);
  out << "\n";
  return out.str();
}

}  // namespace bbcheck
