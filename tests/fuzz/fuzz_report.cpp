// Fuzzes the report reader behind `bbcheck show` and `bbcheck diff`: any
// bytes are either a bbcheck report, which then renders in every format and
// diffs against itself, or a ReportError (exit 2 naming the file), never a
// crash, hang or other exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "checker/cli/command_diff.h"
#include "checker/report/report_formats.h"
#include "checker/report/report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto received = bbcheck::parseReport(text, "fuzz.json");
    for (bool verbose : {false, true}) {
      bbcheck::TextStyle style{false, false, verbose};
      style.width = verbose ? 0 : 40;  // the glance wraps to a narrow terminal
      for (const auto& format : bbcheck::reportFormats())
        if (format.in_show) format.render(received->report, style);
    }
    bool regressed = false;
    bbcheck::diffReports(received->report, received->report, regressed);
  } catch (const bbcheck::ReportError&) {
  }
  return 0;
}
