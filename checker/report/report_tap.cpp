// TAP version 13. A check that does not pass but does not count against the
// verdict (a recommended or info one) is "not ok ... # TODO", which TAP
// consumers treat as an expected failure, matching the verdict.
#include "checker/report/report_tap.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "checker/report/report.h"
#include "checker/report/report_safe.h"
#include "checker/report/safe_text.h"
#include "checker/report/value_format.h"

namespace bbcheck {
namespace {

// The YAML diagnostic block under a "not ok" line, via yaml-cpp's emitter.
std::string diagnostics(const CheckResult& r) {
  YAML::Emitter yaml;
  yaml << YAML::BeginMap;
  yaml << YAML::Key << "status" << YAML::Value << statusName(r.status);
  yaml << YAML::Key << "severity" << YAML::Value << severityName(r.check->severity);
  yaml << YAML::Key << "message" << YAML::Value << YAML::DoubleQuoted << r.message;
  if (!r.observed.isEmpty()) {
    yaml << YAML::Key << "observed" << YAML::Value;
    emitYaml(yaml, r.observed);
  }
  if (!r.expected.isEmpty()) {
    yaml << YAML::Key << "expected" << YAML::Value;
    emitYaml(yaml, r.expected);
  }
  if (!fixOf(r).empty())
    yaml << YAML::Key << "fix" << YAML::Value << YAML::DoubleQuoted << fixOf(r);
  if (!r.check->docs.empty()) yaml << YAML::Key << "docs" << YAML::Value << r.check->docs;
  yaml << YAML::Key << "duration_ms" << YAML::Value << r.duration_ms;
  yaml << YAML::EndMap;
  std::string out = "  ---\n";
  std::string text = yaml.c_str();
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "  " + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out + "  ...\n";
}

// TAP descriptions end at a '#'; keep ids and titles from starting a directive.
std::string description(const Check& c) {
  std::string text = c.id + " - " + c.title;
  for (char& ch : text)
    if (ch == '#' || ch == '\n') ch = ' ';
  return text;
}

}  // namespace

std::string renderTap(const RunReport& received) {
  const SafeReport safe(received);  // host and profile text made safe to print
  const RunReport& report = safe.get();
  std::string out = "TAP version 13\n";
  std::vector<const CheckResult*> listed = listedResults(report);
  out += fmt::format("1..{}\n", listed.size());
  int number = 0;
  for (const CheckResult* listedResult : listed) {
    const CheckResult& r = *listedResult;
    ++number;
    std::string line;
    switch (r.status) {
      case Status::Pass:
        line = fmt::format("ok {} - {}", number, description(*r.check));
        break;
      case Status::Skip:
        line =
            fmt::format("ok {} - {} # SKIP {}", number, description(*r.check), safeLine(r.message));
        break;
      case Status::Waived:
        line = fmt::format("ok {} - {} # SKIP {}; {}", number, description(*r.check),
                           safeLine(waivedText(r)), safeLine(r.message));
        break;
      default:
        line = fmt::format("not ok {} - {}", number, description(*r.check));
        if (!counts(r, report.fail_on))
          line += fmt::format(" # TODO {}: does not count against the verdict",
                              severityName(r.check->severity));
        break;
    }
    out += line + "\n";
    if (needsAttention(r)) out += diagnostics(r);
  }
  out += fmt::format("# verdict: {}\n", verdictName(report));
  return out;
}

}  // namespace bbcheck
