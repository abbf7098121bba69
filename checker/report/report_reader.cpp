#include "checker/report/report_reader.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>

#include "checker/profile/profile.h"
#include "checker/report/stop_signal_name.h"
#include "checker/report/worker_request.h"
#include "probes/utf8_text.h"

namespace bbcheck {
namespace {

using JsonObject = Poco::JSON::Object;
using JsonArray = Poco::JSON::Array;
using Var = Poco::Dynamic::Var;

// A value from the file, quoted in an error message: short, printable ASCII.
std::string quoted(const std::string& text) {
  std::string out;
  for (unsigned char c : text.substr(0, 60)) out += c >= 0x20 && c < 0x7f ? char(c) : '?';
  return "\"" + out + (text.size() > 60 ? "...\"" : "\"");
}

// One JSON object of the report, read field by field; every complaint names
// the file and the field's path ("checks[3].status").
class Fields {
 public:
  Fields(const Var& value, std::string path, const std::string& file)
      : path_(std::move(path)), file_(file) {
    if (value.type() != typeid(JsonObject::Ptr) || value.extract<JsonObject::Ptr>().isNull())
      fail("", "expected an object");
    object_ = value.extract<JsonObject::Ptr>();
  }

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    std::string where = path_ + (path_.empty() || key.empty() ? "" : ".") + key;
    throw ReportError(fmt::format("{}: {}{}", file_, where.empty() ? "" : where + ": ", problem));
  }

  bool has(const std::string& key) const { return object_->has(key); }

  Var get(const std::string& key) const {
    if (!object_->has(key)) fail(key, "missing (a bbcheck report has it)");
    return object_->get(key);
  }

  std::string text(const std::string& key) const {
    Var v = get(key);
    if (!v.isString()) fail(key, "expected a string");
    return v.extract<std::string>();
  }

  std::string textOr(const std::string& key, const std::string& fallback) const {
    return has(key) ? text(key) : fallback;
  }

  int64_t integer(const std::string& key, int64_t min) const {
    Var v = get(key);
    int64_t n = 0;
    try {
      if (!v.isInteger() || v.isBoolean()) throw Poco::Exception("not an integer");
      n = v.convert<Poco::Int64>();
    } catch (const Poco::Exception&) {
      fail(key, "expected a whole number");
    }
    if (n < min) fail(key, fmt::format("expected {} or more, got {}", min, n));
    return n;
  }

  std::string oneOf(const std::string& key, const std::vector<std::string>& choices) const {
    std::string value = text(key);
    for (const auto& c : choices)
      if (value == c) return value;
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    fail(key, fmt::format("expected one of {}, got {}", list, quoted(value)));
  }

  Fields object(const std::string& key) const { return Fields(get(key), join(key), file_); }

  std::vector<Var> array(const std::string& key) const {
    Var v = get(key);
    if (v.type() != typeid(JsonArray::Ptr) || v.extract<JsonArray::Ptr>().isNull())
      fail(key, "expected an array");
    JsonArray::Ptr array = v.extract<JsonArray::Ptr>();
    std::vector<Var> items;
    for (size_t i = 0; i < array->size(); ++i) items.push_back(array->get(i));
    return items;
  }

  std::vector<std::string> strings(const std::string& key) const {
    std::vector<std::string> out;
    for (const auto& item : array(key)) {
      if (!item.isString()) fail(key, "expected an array of strings");
      out.push_back(item.extract<std::string>());
    }
    return out;
  }

  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    object_->getNames(out);
    return out;
  }

  std::string join(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  const std::string& file() const { return file_; }

 private:
  JsonObject::Ptr object_;
  std::string path_;
  const std::string& file_;
};

// A JSON value as the Value tree probes produce (Object, Array, scalars).
Value toValue(const Var& v) {
  if (v.isEmpty()) return Value();
  if (v.type() == typeid(JsonObject::Ptr)) {
    JsonObject::Ptr json = v.extract<JsonObject::Ptr>();
    Object out;
    if (json.isNull()) return Value();
    std::vector<std::string> names;
    json->getNames(names);
    for (const auto& name : names) out[name] = toValue(json->get(name));
    return out;
  }
  if (v.type() == typeid(JsonArray::Ptr)) {
    JsonArray::Ptr json = v.extract<JsonArray::Ptr>();
    Array out;
    if (json.isNull()) return Value();
    for (size_t i = 0; i < json->size(); ++i) out.push_back(toValue(json->get(i)));
    return out;
  }
  return v;
}

const std::vector<std::string> kStatuses = {"pass", "fail", "error", "blocked", "skip", "waived"};
const std::vector<std::string> kSeverities = {"required", "recommended", "info"};

Severity severityOf(const std::string& name) {
  if (name == "recommended") return Severity::Recommended;
  if (name == "info") return Severity::Info;
  return Severity::Required;
}

// "2026-11-25T12:00:00..." as the schema's pattern asks.
bool looksLikeTimestamp(const std::string& t) {
  static const std::string shape = "dddd-dd-ddTdd:dd:dd";
  if (t.size() < shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
    if (shape[i] == 'd' ? !digit : t[i] != shape[i]) return false;
  }
  return true;
}

HostFacts readHost(const Fields& host) {
  HostFacts h;
  h.hostname = host.text("hostname");
  h.os = host.text("os");
  h.os_version = host.text("os_version");
  h.kernel = host.text("kernel");
  h.arch = host.text("arch");
  h.cpus = static_cast<int>(std::min<int64_t>(host.integer("cpus", 1), 1 << 30));
  h.memory_bytes = host.integer("memory_bytes", 0);
  h.user = host.text("user");
  h.uid = host.integer("uid", -1);
  h.virtualization = host.text("virtualization");
  std::vector<Var> compilers = host.array("compilers");
  for (size_t i = 0; i < compilers.size(); ++i) {
    Fields c(compilers[i], host.join(fmt::format("compilers[{}]", i)), host.file());
    h.compilers.push_back({c.text("name"), c.oneOf("language", {"c", "c++"}), c.text("path"),
                           c.text("version"), c.text("target")});
  }
  Fields proxies = host.object("proxies");
  for (const auto& name : proxies.keys()) h.proxies[name] = proxies.text(name);
  return h;
}

// The waiver a check names: the one that made it waived, or one that expired.
void readWaiver(const Fields& f, CheckResult& result) {
  if (!f.has("waiver")) {
    if (result.status == Status::Waived) f.fail("waiver", "missing (a waived check names it)");
    return;
  }
  Fields w = f.object("waiver");
  AppliedWaiver waiver;
  waiver.why = w.text("why");
  waiver.until = w.textOr("until", "");
  if (w.has("expired")) {
    Var expired = w.get("expired");
    if (!expired.isBoolean() || !expired.convert<bool>())
      w.fail("expired", "expected true (present only for an expired waiver)");
    waiver.expired = true;
  }
  if (waiver.expired == (result.status == Status::Waived))
    f.fail("status", waiver.expired ? "a check whose waiver expired is not waived"
                                    : "a check its waiver accepts is waived");
  if (!waiver.expired)
    waiver.was = statusNamed(w.oneOf("waived_status", {"fail", "error", "blocked"}));
  result.waiver = waiver;
}

void readCheck(const Fields& f, Check& check, CheckResult& result) {
  check.id = f.text("id");
  if (!isCheckId(check.id))
    f.fail("id", fmt::format("{} is not a check id ([a-z0-9][a-z0-9._-]*)", quoted(check.id)));
  check.title = f.text("title");
  check.probe = f.text("probe");
  check.severity = severityOf(f.oneOf("severity", kSeverities));
  check.stage = f.oneOf("stage", {"host", "worker"}) == "worker" ? Stage::Worker : Stage::Host;
  check.tags = f.strings("tags");
  check.needs = f.strings("needs");
  check.origin = f.text("profile");
  check.why = f.textOr("why", "");
  check.fix = f.textOr("fix", "");
  check.docs = f.textOr("docs", "");
  result.status = statusNamed(f.oneOf("status", kStatuses));
  result.message = f.text("message");
  result.observed = toValue(f.get("observed"));
  result.expected = toValue(f.get("expected"));
  result.duration_ms = f.integer("duration_ms", 0);
  if (f.has("tries"))
    result.tries = static_cast<int>(std::min<int64_t>(f.integer("tries", 2), 1 << 30));
  if (result.status == Status::Pass && (f.has("fix") || f.has("docs")))
    f.fail("fix", "a passing check carries no fix or docs");
  readWaiver(f, result);
  if (f.has("selected")) {
    Var selected = f.get("selected");
    if (!selected.isBoolean() || selected.convert<bool>())
      f.fail("selected", "expected false (present only for a check left out)");
    if (result.status != Status::Skip) f.fail("selected", "a check left out must be skip");
    result.selected = false;
  }
}

// The summary and the verdict must say what the checks say.
void checkConsistency(const Fields& root, const ReceivedReport& r, const std::string& verdict) {
  Fields summary = root.object("summary");
  StatusCounts counts = countStatuses(r.report.results);
  for (Status s : kAllStatuses) {
    // Reports from before waivers have no "waived" count.
    bool absent = s == Status::Waived && !summary.has(statusName(s));
    int64_t stated = absent ? 0 : summary.integer(statusName(s), 0);
    if (stated != counts[static_cast<size_t>(s)])
      summary.fail(statusName(s), fmt::format("says {}, but {} checks are {}", stated,
                                              counts[static_cast<size_t>(s)], statusName(s)));
  }
  int64_t total = summary.integer("total", 0);
  if (total != static_cast<int64_t>(r.report.results.size()))
    summary.fail("total", fmt::format("says {}, but the report holds {} checks", total,
                                      r.report.results.size()));
  if (verdict == "interrupted") return;
  Verdict judged = computeVerdict(r.report.results, r.report.fail_on);
  if (judged != r.stated_verdict)
    root.fail("verdict", fmt::format("says {}, but its checks make it {} under fail_on {}", verdict,
                                     judged == Verdict::Ready ? "ready" : "not_ready",
                                     severityName(r.report.fail_on)));
}

}  // namespace

std::unique_ptr<ReceivedReport> parseReport(const std::string& text, const std::string& name) {
  if (text.size() > kMaxReportBytes)
    throw ReportError(
        fmt::format("{}: larger than {} MiB: not a bbcheck report", name, kMaxReportBytes >> 20));
  size_t bad = firstInvalidUtf8(text);
  if (bad != std::string::npos)
    throw ReportError(
        fmt::format("{}: not valid UTF-8 (byte {}): not a bbcheck report", name, bad));
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{')
    throw ReportError(
        fmt::format("{}: not a JSON object: a bbcheck report starts with '{{'", name));
  Var parsed;
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxReportDepth);
    parsed = parser.parse(text);
  } catch (const Poco::Exception& e) {
    throw ReportError(fmt::format("{}: not JSON (or nested deeper than {}): {}", name,
                                  kMaxReportDepth, quoted(e.displayText())));
  }
  auto received = std::make_unique<ReceivedReport>();
  Fields root(parsed, "", name);
  std::string schema = root.text("schema");
  if (schema != "bbcheck-report/1")
    root.fail("schema", fmt::format("{} is not a report this bbcheck reads (bbcheck-report/1)",
                                    quoted(schema)));
  Fields tool = root.object("tool");
  if (tool.text("name") != "bbcheck") tool.fail("name", "expected \"bbcheck\"");
  RunReport& report = received->report;
  report.tool_version = tool.text("version");
  Fields profile = root.object("profile");
  Profile& p = received->profile;
  p.name = profile.text("name");
  p.description = profile.text("description");
  if (profile.has("subject")) p.subject = profile.oneOf("subject", {"host", "image"});
  p.source = profile.text("source");
  p.sha256 = profile.text("sha256");
  if (p.sha256.size() != 64 || p.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
    profile.fail("sha256", "expected 64 lower-case hex digits");
  report.host = readHost(root.object("host"));
  Fields form = root.object("worker_request");
  report.worker_request =
      WorkerRequest{form.text("architecture"), form.text("operating_system"), form.text("special")};
  report.started_at = root.text("started_at");
  if (!looksLikeTimestamp(report.started_at))
    root.fail("started_at", fmt::format("{} is not an ISO 8601 time", quoted(report.started_at)));
  report.duration_ms = root.integer("duration_ms", 0);
  std::string verdict = root.oneOf("verdict", {"ready", "not_ready", "interrupted"});
  received->stated_verdict = verdict == "ready" ? Verdict::Ready : Verdict::NotReady;
  report.interrupted = verdict == "interrupted";
  // Older reports do not say which signal stopped the run.
  if (report.interrupted && root.has("interrupted_by"))
    report.stop_signal =
        stopSignalNamed(root.oneOf("interrupted_by", {"SIGINT", "SIGTERM", "SIGHUP"}));
  report.stage = *parseStageScope(root.oneOf("stage", {"host", "worker", "all"}));
  report.fail_on = severityOf(root.oneOf("fail_on", kSeverities));
  // Reports written before bbcheck looked for workers have none.
  if (root.has("workers")) {
    std::vector<Var> workers = root.array("workers");
    for (size_t i = 0; i < workers.size(); ++i) {
      Fields w(workers[i], fmt::format("workers[{}]", i), name);
      WorkerInstance worker;
      worker.path = w.text("path");
      worker.found_by = w.strings("found_by");
      worker.name = w.textOr("name", "");
      Var checked = w.get("checked");
      if (!checked.isBoolean()) w.fail("checked", "expected true or false");
      worker.checked = checked.extract<bool>();
      std::string suffix = w.textOr("id_suffix", "");
      if (!suffix.empty()) {
        if (suffix[0] != '.') w.fail("id_suffix", "expected \".NAME\"");
        worker.suffix = suffix.substr(1);
      }
      report.workers.push_back(std::move(worker));
    }
  }

  std::vector<Var> checks = root.array("checks");
  p.checks.resize(checks.size());
  report.results.resize(checks.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < checks.size(); ++i) {
    Fields f(checks[i], fmt::format("checks[{}]", i), name);
    readCheck(f, p.checks[i], report.results[i]);
    if (!ids.insert(p.checks[i].id).second)
      f.fail("id", fmt::format("{} appears twice", quoted(p.checks[i].id)));
  }
  // Pointers are taken once the vector no longer moves.
  report.profile = &p;
  for (size_t i = 0; i < checks.size(); ++i) report.results[i].check = &p.checks[i];
  report.verdict = computeVerdict(report.results, report.fail_on);
  checkConsistency(root, *received, verdict);
  return received;
}

std::unique_ptr<ReceivedReport> readReport(const std::string& path) {
  std::string name = path == "-" ? "standard input" : path;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw ReportError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    if (S_ISDIR(st.st_mode)) throw ReportError(fmt::format("{}: is a directory", path));
    file.open(path, std::ios::binary);
    if (!file) throw ReportError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
    in = &file;
  }
  // Reads at most one byte past the bound, so that an over-long file (or an
  // endless pipe) is refused, never truncated into something that parses.
  std::string text;
  char chunk[65536];
  while (text.size() <= kMaxReportBytes && in->read(chunk, sizeof chunk).gcount() > 0)
    text.append(chunk, static_cast<size_t>(in->gcount()));
  if (in->bad()) throw ReportError(fmt::format("{}: cannot read", name));
  return parseReport(text, name);
}

}  // namespace bbcheck
