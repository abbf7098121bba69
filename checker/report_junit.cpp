// JUnit XML for CI: one testsuite per profile (a check belongs to the profile
// that declared it), one testcase per check, classname = the id's first
// segment. fail -> <failure>, error and blocked -> <error>, skip -> <skipped>.
#include <Poco/SAX/AttributesImpl.h>
#include <Poco/XML/XMLWriter.h>
#include <fmt/format.h>

#include <map>
#include <sstream>

#include "checker/report.h"
#include "checker/report_safe.h"
#include "checker/value_format.h"

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
  if (!r.check->fix.empty()) text += "fix: " + r.check->fix + "\n";
  if (!r.check->docs.empty()) text += "docs: " + r.check->docs + "\n";
  return text;
}

void writeCase(Poco::XML::XMLWriter& xml, const CheckResult& r) {
  Attributes attrs;
  attrs.add("classname", groupOf(r.check->id))
      .add("name", r.check->id)
      .add("time", seconds(r.duration_ms));
  xml.startElement("", "", "testcase", attrs.get());
  const char* element = nullptr;
  switch (r.status) {
    case Status::Fail:
      element = "failure";
      break;
    case Status::Error:
    case Status::Blocked:
      element = "error";
      break;
    case Status::Skip:
      element = "skipped";
      break;
    case Status::Pass:
      break;
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

}  // namespace

std::string renderJunit(const RunReport& received) {
  const SafeReport safe(received);  // host and profile text made safe to print
  const RunReport& report = safe.get();
  // Suites in the order their first check appears.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const CheckResult*>> suites;
  for (const auto& r : report.results) {
    if (!suites.count(r.check->origin)) order.push_back(r.check->origin);
    suites[r.check->origin].push_back(&r);
  }
  std::ostringstream out;
  Poco::XML::XMLWriter xml(
      out, Poco::XML::XMLWriter::WRITE_XML_DECLARATION | Poco::XML::XMLWriter::PRETTY_PRINT);
  xml.setNewLine("\n");
  xml.setIndent("  ");
  xml.startDocument();
  StatusCounts all = countStatuses(report.results);
  auto n = [](const StatusCounts& c, Status s) {
    return std::to_string(c[static_cast<size_t>(s)]);
  };
  Attributes root;
  root.add("name", "bbcheck " + report.profile->name)
      .add("tests", std::to_string(report.results.size()))
      .add("failures", n(all, Status::Fail))
      .add("errors", std::to_string(all[static_cast<size_t>(Status::Error)] +
                                    all[static_cast<size_t>(Status::Blocked)]))
      .add("skipped", n(all, Status::Skip))
      .add("time", seconds(report.duration_ms));
  xml.startElement("", "", "testsuites", root.get());
  for (const auto& name : order) {
    std::vector<CheckResult> group;
    for (const CheckResult* r : suites[name]) group.push_back(*r);
    StatusCounts c = countStatuses(group);
    int64_t ms = 0;
    for (const auto& r : group) ms += r.duration_ms;
    Attributes attrs;
    attrs.add("name", name)
        .add("tests", std::to_string(group.size()))
        .add("failures", n(c, Status::Fail))
        .add("errors", std::to_string(c[static_cast<size_t>(Status::Error)] +
                                      c[static_cast<size_t>(Status::Blocked)]))
        .add("skipped", n(c, Status::Skip))
        .add("time", seconds(ms))
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
    for (const auto& r : group) writeCase(xml, r);
    xml.endElement("", "", "testsuite");
  }
  xml.endElement("", "", "testsuites");
  xml.endDocument();
  out << "\n";
  return out.str();
}

}  // namespace bbcheck
