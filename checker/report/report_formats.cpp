// The one table of report formats (see report_formats.h). Adding a format is
// a file pair report_<name>.cpp/.h beside its test, and one line here.
#include "checker/report/report_formats.h"

#include "checker/report/report_json.h"
#include "checker/report/report_junit.h"
#include "checker/report/report_prometheus.h"
#include "checker/report/report_tap.h"
#include "checker/report/report_text.h"

namespace bbcheck {
namespace {

// The machine formats take no style: adapt them to the table's signature.
template <std::string (*render)(const RunReport&)>
std::string unstyled(const RunReport& report, const TextStyle&) {
  return render(report);
}

}  // namespace

bool ReportFormat::usableFor(ReportUse use) const {
  switch (use) {
    case ReportUse::Stdout:
      return on_stdout;
    case ReportUse::File:
      return to_file;
    case ReportUse::Show:
      return in_show;
  }
  return false;
}

const std::vector<ReportFormat>& reportFormats() {
  // The text report shows no compiler and no virtualization: a text-only run
  // spends no process on them.
  static const std::vector<ReportFormat> formats = {
      {"text", renderText, true, true, true, /*deep_host_facts=*/false},
      {"json", unstyled<renderJson>},
      {"junit", unstyled<renderJunit>},
      {"tap", unstyled<renderTap>},
      {"prometheus", unstyled<renderPrometheus>},  // node_exporter's textfile collector
  };
  return formats;
}

const ReportFormat* findReportFormat(std::string_view name, ReportUse use) {
  for (const ReportFormat& format : reportFormats())
    if (format.name == name && format.usableFor(use)) return &format;
  return nullptr;
}

std::vector<std::string> reportFormatNames(ReportUse use) {
  std::vector<std::string> names;
  for (const ReportFormat& format : reportFormats())
    if (format.usableFor(use)) names.emplace_back(format.name);
  return names;
}

}  // namespace bbcheck
