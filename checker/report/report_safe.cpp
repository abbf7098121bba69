#include "checker/report/report_safe.h"

#include "checker/report/safe_text.h"

namespace bbcheck {
namespace {

// Fields shown on one line (names, ids, host facts): a line break there
// would let the host or a received report plant lines of its own ("READY")
// in the text report, so it is escaped.
void line(std::string& text) {
  text = safeLine(text);
}

void lines(std::vector<std::string>& list) {
  for (auto& item : list) line(item);
}

// Prose that may run over lines (messages, why, fix): line breaks stay, the
// formats that need one line (text, TAP) make it one line where they print.
void prose(std::string& text) {
  text = safeText(text);
}

void cleanCheck(Check& c) {
  for (std::string* field : {&c.id, &c.title, &c.probe, &c.docs, &c.not_applicable, &c.origin,
                             &c.pos.file, &c.instance_of})
    line(*field);
  for (std::string* field : {&c.why, &c.fix}) prose(*field);
  lines(c.tags);
  lines(c.needs);
}

void cleanHost(HostFacts& h) {
  for (std::string* field :
       {&h.hostname, &h.os, &h.os_version, &h.os_id, &h.os_codename, &h.kernel, &h.arch, &h.user,
        &h.virtualization, &h.cpu_limited_by, &h.memory_limited_by})
    line(*field);
  for (auto& c : h.compilers)
    for (std::string* field : {&c.name, &c.language, &c.path, &c.version, &c.target}) line(*field);
  std::map<std::string, std::string> proxies;
  for (const auto& [name, url] : h.proxies) proxies[safeLine(name)] = safeLine(url);
  h.proxies = std::move(proxies);
}

}  // namespace

SafeReport::SafeReport(const RunReport& report) : report_(report) {
  if (report.profile != nullptr) {
    profile_ = *report.profile;
    for (std::string* field :
         {&profile_.name, &profile_.description, &profile_.source, &profile_.sha256})
      line(*field);
    for (auto& check : profile_.checks) cleanCheck(check);
    report_.profile = &profile_;
  }
  cleanHost(report_.host);
  line(report_.started_at);
  line(report_.tool_version);
  if (report_.worker_request) {
    WorkerRequest& form = *report_.worker_request;
    for (std::string* field : {&form.architecture, &form.operating_system, &form.special})
      line(*field);
  }
  for (auto& w : report_.workers) {
    line(w.path);
    line(w.name);
    lines(w.found_by);
    line(w.suffix);
  }
  for (auto& r : report_.results) {
    // Re-point at the same check in the cleaned copy of the profile.
    if (report.profile != nullptr && !profile_.checks.empty() &&
        r.check >= report.profile->checks.data() &&
        r.check < report.profile->checks.data() + report.profile->checks.size())
      r.check = &profile_.checks[static_cast<size_t>(r.check - report.profile->checks.data())];
    prose(r.message);
    prose(r.fix);
    if (r.waiver) {
      prose(r.waiver->why);
      line(r.waiver->until);
    }
    r.observed = safeValue(r.observed);
    r.expected = safeValue(r.expected);
  }
}

}  // namespace bbcheck
