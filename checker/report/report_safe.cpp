#include "checker/report/report_safe.h"

#include "checker/report/safe_text.h"

namespace bbcheck {
namespace {

void clean(std::string& text) {
  text = safeText(text);
}

void clean(std::vector<std::string>& list) {
  for (auto& item : list) clean(item);
}

void cleanCheck(Check& c) {
  for (std::string* field : {&c.id, &c.title, &c.probe, &c.why, &c.fix, &c.docs, &c.not_applicable,
                             &c.origin, &c.pos.file})
    clean(*field);
  clean(c.tags);
  clean(c.needs);
}

void cleanHost(HostFacts& h) {
  for (std::string* field :
       {&h.hostname, &h.os, &h.os_version, &h.kernel, &h.arch, &h.user, &h.virtualization})
    clean(*field);
  for (auto& c : h.compilers)
    for (std::string* field : {&c.name, &c.language, &c.path, &c.version, &c.target}) clean(*field);
  std::map<std::string, std::string> proxies;
  for (const auto& [name, url] : h.proxies) proxies[safeText(name)] = safeText(url);
  h.proxies = std::move(proxies);
}

}  // namespace

SafeReport::SafeReport(const RunReport& report) : report_(report) {
  if (report.profile != nullptr) {
    profile_ = *report.profile;
    for (std::string* field : {&profile_.name, &profile_.description, &profile_.source})
      clean(*field);
    for (auto& check : profile_.checks) cleanCheck(check);
    report_.profile = &profile_;
  }
  cleanHost(report_.host);
  clean(report_.started_at);
  clean(report_.tool_version);
  for (auto& w : report_.workers) {
    clean(w.path);
    clean(w.name);
    clean(w.found_by);
  }
  for (auto& r : report_.results) {
    // Re-point at the same check in the cleaned copy of the profile.
    if (report.profile != nullptr && !profile_.checks.empty() &&
        r.check >= report.profile->checks.data() &&
        r.check < report.profile->checks.data() + report.profile->checks.size())
      r.check = &profile_.checks[static_cast<size_t>(r.check - report.profile->checks.data())];
    clean(r.message);
    clean(r.fix);
    if (r.waiver) {
      clean(r.waiver->why);
      clean(r.waiver->until);
    }
    r.observed = safeValue(r.observed);
    r.expected = safeValue(r.expected);
  }
}

}  // namespace bbcheck
