// JUnit XML for CI: one testsuite per profile (a check belongs to the profile
// that declared it), one testcase per check, classname = the id's first
// segment. fail -> <failure>, error and blocked -> <error>, skip -> <skipped>;
// a check that did not pass but does not count for the verdict (recommended
// or info under the run's --fail-on) is <skipped> with its details, so that
// Jenkins and GitLab show it without failing the pipeline of a READY host.
#include "checker/report/report_junit.h"

#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "checker/report/report.h"
#include "checker/report/report_safe.h"
#include "checker/report/value_format.h"

namespace bbcheck {
namespace {

class Attributes {
 public:
  Attributes& add(const std::string& name, const std::string& value) {
    attrs_.addAttribute("", "", name, "CDATA", value);
    return *this;
  }
  const Poco::XML::AttributesImpl& get() const { return attrs_; }

 private:
  Poco::XML::AttributesImpl attrs_;
};

std::string seconds(int64_t ms) {
  return fmt::format("{:.3f}", ms / 1000.0);
}

std::string body(const CheckResult& r) {
  std::string text = r.message + "\n";
  if (!r.observed.isEmpty()) text += "observed: " + oneLine(r.observed) + "\n";
  if (!r.expected.isEmpty()) text += "expected: " + oneLine(r.expected) + "\n";
  if (!fixOf(r).empty()) text += "fix: " + fixOf(r) + "\n";
  if (!r.check->docs.empty()) text += "docs: " + r.check->docs + "\n";
  return text;
}

// The JUnit element a result becomes: nullptr for a pass.
const char* elementFor(const CheckResult& r, Severity failOn) {
  if (r.status == Status::Pass) return nullptr;
  if (r.status == Status::Skip || r.status == Status::Waived || !counts(r, failOn))
    return "skipped";
  return r.status == Status::Fail ? "failure" : "error";
}

void writeCase(Poco::XML::XMLWriter& xml, const CheckResult& r, Severity failOn) {
  Attributes attrs;
  attrs.add("classname", groupOf(r.check->id))
      .add("name", r.check->id)
      .add("time", seconds(r.duration_ms));
  xml.startElement("", "", "testcase", attrs.get());
  const char* element = elementFor(r, failOn);
  if (element != nullptr && r.status != Status::Skip && std::string(element) == "skipped") {
    // Shown, not failed: the message says why it does not count.
    Attributes detail;
    if (r.status == Status::Waived)
      detail.add("message", fmt::format("{}: {}", waivedText(r), r.message));
    else
      detail.add("message",
                 fmt::format("{} ({}, does not count under --fail-on {}): {}", statusName(r.status),
                             severityName(r.check->severity), severityName(failOn), r.message));
    xml.emptyElement("", "", element, detail.get());
    xml.startElement("", "", "system-out");
    xml.characters(body(r));
    xml.endElement("", "", "system-out");
    xml.endElement("", "", "testcase");
    return;
  }
  if (element != nullptr) {
    Attributes detail;
    detail.add("message", r.message)
        .add("type", fmt::format("{} ({})", statusName(r.status), severityName(r.check->severity)));
    if (r.status == Status::Skip) {
      xml.emptyElement("", "", element, detail.get());
    } else {
      xml.startElement("", "", element, detail.get());
      xml.characters(body(r));
      xml.endElement("", "", element);
    }
  } else {
    xml.startElement("", "", "system-out");
    xml.characters(r.message);
    xml.endElement("", "", "system-out");
  }
  xml.endElement("", "", "testcase");
}

struct ElementCounts {
  size_t failures = 0, errors = 0, skipped = 0;
};

ElementCounts countElements(const std::vector<const CheckResult*>& results, Severity failOn) {
  ElementCounts c;
  for (const CheckResult* r : results) {
    const char* element = elementFor(*r, failOn);
    if (element == nullptr) continue;
    std::string name = element;
    if (name == "failure") ++c.failures;
    if (name == "error") ++c.errors;
    if (name == "skipped") ++c.skipped;
  }
  return c;
}

}  // namespace

std::string renderJunit(const RunReport& received) {
  const SafeReport safe(received);  // host and profile text made safe to print
  const RunReport& report = safe.get();
  // Suites in the order their first check appears.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const CheckResult*>> suites;
  std::vector<const CheckResult*> listed = listedResults(report);
  for (const CheckResult* r : listed) {
    if (!suites.count(r->check->origin)) order.push_back(r->check->origin);
    suites[r->check->origin].push_back(r);
  }
  std::ostringstream out;
  Poco::XML::XMLWriter xml(
      out, Poco::XML::XMLWriter::WRITE_XML_DECLARATION | Poco::XML::XMLWriter::PRETTY_PRINT);
  xml.setNewLine("\n");
  xml.setIndent("  ");
  xml.startDocument();
  ElementCounts all = countElements(listed, report.fail_on);
  Attributes root;
  root.add("name", "bbcheck " + report.profile->name)
      .add("tests", std::to_string(listed.size()))
      .add("failures", std::to_string(all.failures))
      .add("errors", std::to_string(all.errors))
      .add("skipped", std::to_string(all.skipped))
      .add("time", seconds(report.duration_ms));
  xml.startElement("", "", "testsuites", root.get());
  for (const auto& name : order) {
    const auto& group = suites[name];
    ElementCounts c = countElements(group, report.fail_on);
    // Every suite's checks ran concurrently within the run, so its time is
    // the run's wall time (testcases carry their own durations); a sum of
    // durations would exceed the run's time.
    Attributes attrs;
    attrs.add("name", name)
        .add("tests", std::to_string(group.size()))
        .add("failures", std::to_string(c.failures))
        .add("errors", std::to_string(c.errors))
        .add("skipped", std::to_string(c.skipped))
        .add("time", seconds(report.duration_ms))
        .add("timestamp", report.started_at)
        .add("hostname", report.host.hostname);
    xml.startElement("", "", "testsuite", attrs.get());
    xml.startElement("", "", "properties");
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"verdict", verdictName(report)},
             {"fail_on", severityName(report.fail_on)},
             {"profile_source", report.profile->source},
             {"bbcheck_version", report.tool_version}}) {
      Attributes prop;
      prop.add("name", key).add("value", value);
      xml.emptyElement("", "", "property", prop.get());
    }
    xml.endElement("", "", "properties");
    for (const CheckResult* r : group) writeCase(xml, *r, report.fail_on);
    xml.endElement("", "", "testsuite");
  }
  xml.endElement("", "", "testsuites");
  xml.endDocument();
  out << "\n";
  return out.str();
}

}  // namespace bbcheck
