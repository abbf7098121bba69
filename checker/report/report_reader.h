// Reading a bbcheck JSON report back (`bbcheck show`, `bbcheck diff`): the
// file is checked field by field against what schema/report-v1 requires and
// for internal consistency (summary and verdict agree with the checks), with
// bounds on size and nesting, since a received report is untrusted input.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "checker/report/run_report.h"

namespace bbcheck {

// What is wrong with a report, starting with the file's name.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The largest report read, and the deepest nesting of JSON values in it.
constexpr size_t kMaxReportBytes = 32u << 20;
constexpr size_t kMaxReportDepth = 64;

// A report as received: `report.profile` points at `profile`, and each
// result's check into `profile.checks`, so it is neither copied nor moved.
struct ReceivedReport {
  Profile profile;  // name, description, source, sha256 and the checks as reported
  RunReport report;
  Verdict stated_verdict = Verdict::NotReady;  // as the file said

  ReceivedReport() = default;
  ReceivedReport(const ReceivedReport&) = delete;
  ReceivedReport& operator=(const ReceivedReport&) = delete;
};

// `name` is used in error messages. Throws ReportError.
std::unique_ptr<ReceivedReport> parseReport(const std::string& text, const std::string& name);

// Reads PATH ("-": standard input), at most kMaxReportBytes. Throws ReportError.
std::unique_ptr<ReceivedReport> readReport(const std::string& path);

}  // namespace bbcheck
