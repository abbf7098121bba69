// The report formats, registered in one table (report_formats.cpp): each
// format's name, its renderer (report_<name>.cpp) and where it may be asked
// for. The command line parses --format and --report against this table, and
// its help, its errors, the completion scripts and the man page list the
// names from it (tests/completion_test.cpp holds the completion scripts
// equal to it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "checker/report/report_text.h"
#include "checker/report/run_report.h"

namespace bbcheck {

// Where a format is asked for.
enum class ReportUse {
  Stdout,  // run's --format: the report on standard output
  File,    // --report FORMAT:PATH
  Show,    // show's --format: a received report, rendered again
};

struct ReportFormat {
  std::string_view name;
  // The whole report in this format. `style` matters to text only.
  std::string (*render)(const RunReport& report, const TextStyle& style);
  bool on_stdout = true;
  bool to_file = true;
  bool in_show = true;
  // Renders the host facts that cost processes to read (compilers,
  // virtualization): a run collects them only when a format asks.
  bool deep_host_facts = true;

  bool usableFor(ReportUse use) const;
};

// Every format, in the order help and errors list them.
const std::vector<ReportFormat>& reportFormats();

// The format called `name`, if it may be used for `use`; else nullptr.
const ReportFormat* findReportFormat(std::string_view name, ReportUse use);

// The names of the formats usable for `use`, in table order.
std::vector<std::string> reportFormatNames(ReportUse use);

}  // namespace bbcheck
