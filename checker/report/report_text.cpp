// The text report: -q's verdict line, the at-a-glance report, and -v's full
// listing (checks grouped by their id's first segment, failures repeated at
// the end with their fixes, the verdict last).
#include "checker/report/report_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "checker/report/report.h"
#include "checker/report/report_safe.h"
#include "checker/report/report_text_glance.h"
#include "checker/report/report_text_verdict.h"
#include "checker/report/safe_text.h"
#include "checker/report/text_triage.h"
#include "checker/report/text_wrap.h"
#include "checker/report/value_format.h"
#include "probes/human.h"

namespace bbcheck {
namespace {

const char* kReset = "\033[0m";

// The id column is at most this wide; a longer id is cut and ends in "…",
// so that one huge id (a received report's) cannot pad every line.
constexpr size_t kMaxIdColumn = 48;

const char* colorOf(const CheckResult& r, Severity failOn) {
  if (isInfoNote(r, failOn)) return "\033[36m";  // cyan: it informs, it does not fail
  switch (r.status) {
    case Status::Pass:
      return "\033[32m";  // green
    case Status::Skip:
      return "\033[2m";  // dim
    default:
      return counts(r, failOn) ? "\033[31m" : "\033[33m";  // red, or yellow when it does not count
  }
}

std::string label(const CheckResult& r, Severity failOn) {
  if (isInfoNote(r, failOn)) return "INFO";
  std::string word = statusName(r.status);
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  return word;
}

// The full listing (-v): every check, then what to fix, then the verdict.
class ListingWriter {
 public:
  ListingWriter(const RunReport& report, const TextStyle& style)
      : report_(report), style_(style), listed_(listedResults(report)) {
    for (const CheckResult* r : listed_)
      idWidth_ = std::max(idWidth_, std::min(displayWidth(r->check->id), kMaxIdColumn));
  }

  std::string render() {
    header();
    checks();
    failures();
    out_ += "\n";
    out_ += verdictLine(report_).render(style_.color) + "\n";
    return out_;
  }

 private:
  std::string paint(const std::string& text, const char* color) const {
    return style_.color ? fmt::format("{}{}{}", color, text, kReset) : text;
  }

  void header() {
    const Profile& p = *report_.profile;
    const HostFacts& h = report_.host;
    out_ += fmt::format("bbcheck {} - profile {}{}\n", report_.tool_version, p.name,
                        p.description.empty() ? "" : " (" + p.description + ")");
    out_ += fmt::format("host {}: {} {}, {}, {}, {} RAM, user {}\n", h.hostname, h.os, h.os_version,
                        h.arch, cpusText(h.cpus), humanBytes(h.memory_bytes), h.user);
    // Workers bbcheck found itself (one only named with --set goes unsaid).
    auto discovered = [](const std::string& how) {
      return how.rfind("--set ", 0) != 0 && how.rfind("the profile's ", 0) != 0;
    };
    bool found = std::any_of(report_.workers.begin(), report_.workers.end(), [&](const auto& w) {
      return std::any_of(w.found_by.begin(), w.found_by.end(), discovered);
    });
    for (const WorkerInstance& w : found ? report_.workers : std::vector<WorkerInstance>{})
      out_ += fmt::format("worker {}{}: found by {}{}\n", w.path,
                          w.suffix.empty() ? "" : " (ids ." + w.suffix + ")",
                          fmt::join(w.found_by, "; "), w.checked ? "" : " (not checked)");
  }

  // Grouped by the id's first segment, groups in order of first appearance,
  // checks in profile order within each group. One pass each way: linear in
  // the number of checks, however many groups there are.
  void checks() {
    std::vector<std::string> order;
    std::unordered_map<std::string, std::vector<const CheckResult*>> groups;
    for (const CheckResult* r : listed_) {
      auto [it, fresh] = groups.try_emplace(groupOf(r->check->id));
      if (fresh) order.push_back(it->first);
      it->second.push_back(r);
    }
    for (const auto& g : order) {
      out_ += fmt::format("\n{}\n", fitToWidth(g, kMaxIdColumn));
      for (const CheckResult* r : groups[g]) line(*r);
    }
  }

  void line(const CheckResult& r) {
    std::string severity = r.check->severity == Severity::Required || r.status == Status::Pass ||
                                   r.status == Status::Skip
                               ? ""
                               : fmt::format(" [{}]", severityName(r.check->severity));
    out_ += fmt::format(
        "  {}  {:<{}}  {}{}\n",
        paint(fmt::format("{:<7}", label(r, report_.fail_on)), colorOf(r, report_.fail_on)),
        fitToWidth(r.check->id, kMaxIdColumn), idWidth_,
        safeLine(r.message.empty() ? r.check->title : r.message), severity + triesText(r));
    if (r.status == Status::Waived)
      out_ += fmt::format("{}{}\n", std::string(11, ' '), safeLine(waivedText(r)));
    if (style_.verbose) details(r);
  }

  void details(const CheckResult& r) {
    std::string pad(11, ' ');
    out_ += fmt::format("{}{} ({}, {} ms)\n", pad, r.check->title, r.check->probe, r.duration_ms);
    if (!r.check->why.empty()) out_ += fmt::format("{}why:      {}\n", pad, safeLine(r.check->why));
    // What a skipped or blocked check would need is said elsewhere.
    bool judged = r.status != Status::Skip && r.status != Status::Blocked;
    if (judged && !fixOf(r).empty())
      out_ += fmt::format("{}fix:      {}\n", pad, safeLine(fixOf(r)));
    if (!r.observed.isEmpty()) out_ += fmt::format("{}observed: {}\n", pad, oneLine(r.observed));
    if (!r.expected.isEmpty()) out_ += fmt::format("{}expected: {}\n", pad, oneLine(r.expected));
  }

  void failures() {
    std::vector<const CheckResult*> bad;
    for (const CheckResult* r : listed_)
      if (needsAttention(*r) && !isInfoNote(*r, report_.fail_on)) bad.push_back(r);
    if (bad.empty()) return;
    out_ += fmt::format("\nTo fix ({}):\n", bad.size());
    for (const CheckResult* r : bad) {
      out_ += fmt::format("  {} {} - {} [{}]\n",
                          paint(label(*r, report_.fail_on), colorOf(*r, report_.fail_on)),
                          r->check->id, r->check->title, severityName(r->check->severity));
      out_ += fmt::format("      {}\n", safeLine(r->message));
      if (!r->check->why.empty() && r->status != Status::Blocked)
        out_ += fmt::format("      why:  {}\n", safeLine(r->check->why));
      if (!fixOf(*r).empty() && r->status != Status::Blocked)
        out_ += fmt::format("      fix:  {}\n", safeLine(fixOf(*r)));
      if (!r->check->docs.empty() && r->status != Status::Blocked)
        out_ += fmt::format("      docs: {}\n", r->check->docs);
    }
  }

  const RunReport& report_;
  const TextStyle& style_;
  std::vector<const CheckResult*> listed_;
  size_t idWidth_ = 0;
  std::string out_;
};

}  // namespace

std::string renderText(const RunReport& received, const TextStyle& style) {
  const SafeReport safe(received);  // host and profile text made safe to print
  if (style.quiet) return verdictLine(safe.get()).render(style.color) + "\n";
  if (style.verbose) return ListingWriter(safe.get(), style).render();
  return renderGlance(safe.get(), style);
}

}  // namespace bbcheck
