// The text report at a glance (see report_text_glance.h).
#include "checker/report/report_text_glance.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/report/report.h"
#include "checker/report/report_text_verdict.h"
#include "checker/report/safe_text.h"
#include "checker/report/text_triage.h"
#include "checker/report/text_wrap.h"
#include "probes/human.h"

namespace bbcheck {
namespace {

// Marks sit in a column of this many characters, after two spaces; what
// they mark starts after them and continues under itself.
constexpr size_t kMarkWidth = 8;
constexpr size_t kIndent = 2 + kMarkWidth;
// Narrower terminals still get this many columns of text per line.
constexpr size_t kMinText = 20;
// Unwrapped output (a pipe) still cuts a group's facts here.
constexpr size_t kUnwrappedFacts = 120;

const char* kGreen = "\033[32m";
const char* kDim = "\033[2m";
const char* kCyan = "\033[36m";
const char* kRed = "\033[31m";
const char* kYellow = "\033[33m";

class GlanceWriter {
 public:
  GlanceWriter(const RunReport& report, const TextStyle& style)
      : report_(report), style_(style), triage_(triage(report)) {}

  std::string render() {
    verdict();
    identity();
    if (!style_.brief) overview();
    problems();
    waived();
    return out_;
  }

 private:
  std::string paint(const std::string& text, const char* color) const {
    return style_.color ? fmt::format("{}{}\033[0m", color, text) : text;
  }

  // Columns of text a line holds after the indent; 0: no wrapping.
  size_t textWidth() const {
    if (style_.width == 0) return 0;
    return std::max(style_.width, kIndent + kMinText) - kIndent;
  }

  // `text` after `lead` (already `leadWidth` columns wide once printed),
  // wrapped, its other lines under it at `indent` columns.
  void paragraph(const std::string& lead, const std::string& text, size_t indent,
                 size_t leadWidth = 0) {
    size_t width = style_.width == 0 ? 0 : std::max(style_.width, indent + kMinText) - indent;
    size_t firstUsed = leadWidth > indent ? leadWidth - indent : 0;
    std::vector<std::string> lines = wrapText(text, width, firstUsed);
    out_ += lead + lines[0] + "\n";
    for (size_t i = 1; i < lines.size(); ++i) out_ += std::string(indent, ' ') + lines[i] + "\n";
  }

  // A line under a mark: "  FAIL    text...".
  void marked(const std::string& mark, const char* color, const std::string& text) {
    std::string lead = "  " + paint(fmt::format("{:<{}}", mark, kMarkWidth), color);
    paragraph(lead, safeLine(text), kIndent, kIndent);
  }

  // More about the line above, under it.
  void detail(const std::string& text) {
    paragraph(std::string(kIndent, ' '), safeLine(text), kIndent, kIndent);
  }

  // Wrapped as plain text; then its word painted, when it is whole on the
  // first line.
  void verdict() {
    VerdictLine v = verdictLine(report_);
    std::string plain = v.render(false);
    size_t width = style_.width == 0 ? 0 : std::max(style_.width, 2 + kMinText) - 2;
    std::vector<std::string> lines = wrapText(plain, width);
    if (style_.color && lines[0].compare(0, v.word.size(), v.word) == 0)
      lines[0] = paint(v.word, v.color) + lines[0].substr(v.word.size());
    out_ += lines[0] + "\n";
    for (size_t i = 1; i < lines.size(); ++i) out_ += "  " + lines[i] + "\n";
  }

  void identity() {
    const HostFacts& h = report_.host;
    std::string text =
        fmt::format("profile {}, host {}: {} {}, {}, {}, {} RAM, user {} (bbcheck {})",
                    report_.profile->name, h.hostname, h.os, h.os_version, h.arch, cpusText(h.cpus),
                    humanBytes(h.memory_bytes), h.user, report_.tool_version);
    paragraph("", safeLine(text), 2);
  }

  void overview() {
    std::string before = out_;
    out_ += "\n";
    size_t factsWidth = textWidth() == 0 ? kUnwrappedFacts : textWidth();
    for (const PassingGroup& g : triage_.passing) {
      std::string text = g.facts.empty() ? g.name : g.name + ": " + g.facts;
      marked("ok", kGreen, fitToWidth(safeLine(text), factsWidth));
    }
    for (const ServiceReruns& s : triage_.reruns) {
      if (s.total == 0) continue;
      std::string where = factOf(s.environment->message);
      bool all = s.agreeing == s.total;
      std::string text =
          all ? fmt::format("{} check{} re-run in the worker's environment ({}): {}", s.total,
                            s.total == 1 ? "" : "s", where,
                            s.total == 1 ? "it agrees" : "all agree")
              : fmt::format(
                    "{} of {} checks re-run in the worker's environment ({}) agree; the "
                    "others are below",
                    s.agreeing, s.total, where);
      marked(all ? "ok" : "differs", all ? kGreen : kRed, text);
    }
    for (const WorkerStageWait& w : triage_.waits) {
      std::string message = w.message;
      const std::string prefix = "worker stage, ";
      if (message.compare(0, prefix.size(), prefix) == 0) message.erase(0, prefix.size());
      std::string reruns = w.reruns > 0 ? fmt::format(" and {} re-runs", w.reruns) : "";
      marked("later", kDim,
             fmt::format("{} worker-stage check{}{} wait{}: {}", w.checks, w.checks == 1 ? "" : "s",
                         reruns, w.checks == 1 && w.reruns == 0 ? "s" : "", message));
    }
    // What passed only on a later try (--retry-for): it came up late.
    for (const auto& r : report_.results)
      if (r.selected && r.status == Status::Pass && r.tries > 1)
        marked("ok", kGreen,
               fmt::format("{}: passed on try {} after {:.1f}s: {}", r.check->id, r.tries,
                           r.duration_ms / 1000.0, r.message));
    for (const CheckResult* r : triage_.notes)
      marked("info", kCyan, fmt::format("{}: {}", r->check->id, r->message));
    if (out_.size() == before.size() + 1) out_ = before;  // nothing to say: no blank line
    overviewShown_ = out_.size() > before.size();
  }

  const char* colorOf(const CheckResult& r) const {
    return counts(r, report_.fail_on) ? kRed : kYellow;
  }

  void problems() {
    size_t count = triage_.problems.size() + triage_.blocked_elsewhere.size();
    if (count == 0) return;
    // Under the overview the flush-left heading is separation enough: a
    // typical unfit host's report fits one screen.
    out_ += fmt::format("{}To fix ({}):\n", overviewShown_ ? "" : "\n", count);
    for (const Problem& p : triage_.problems) {
      const CheckResult& r = *p.result;
      // What does not count for the verdict (recommended, under --fail-on
      // required) is a warning, as kubeadm's preflight says it.
      std::string word = !counts(r, report_.fail_on) ? "WARN"
                         : r.status == Status::Error ? "ERROR"
                                                     : "FAIL";
      marked(word, colorOf(r), fmt::format("{}: {}{}", r.check->id, r.message, triesText(r)));
      std::string fix = fixOf(r);
      if (!fix.empty() && !r.check->docs.empty()) fix += " (docs: " + r.check->docs + ")";
      if (!fix.empty()) detail("fix: " + fix);
      if (!p.blocked.empty()) detail(blockedText(p.blocked, " because of it"));
    }
    for (const BlockedElsewhere& b : triage_.blocked_elsewhere)
      marked("BLOCKED", kYellow, blockedText(b.blocked, " (" + b.message + ")"));
  }

  // Failures accepted on purpose: never hidden, even in a brief report.
  void waived() {
    std::vector<const CheckResult*> waived;
    for (const auto& r : report_.results)
      if (r.selected && r.status == Status::Waived) waived.push_back(&r);
    if (waived.empty()) return;
    out_ += fmt::format("\nWaived ({}):\n", waived.size());
    for (const CheckResult* r : waived) {
      marked("WAIVED", kYellow, fmt::format("{}: {}", r->check->id, r->message));
      detail(waivedText(*r));
    }
  }

  // "10 checks could not run because of it: dns.nxdomain, net.ftp, ...".
  static std::string blockedText(const std::vector<const CheckResult*>& blocked,
                                 const std::string& why) {
    std::string ids;
    for (const CheckResult* r : blocked) ids += (ids.empty() ? "" : ", ") + r->check->id;
    return fmt::format("{} check{} could not run{}: {}", blocked.size(),
                       blocked.size() == 1 ? "" : "s", why, ids);
  }

  const RunReport& report_;
  const TextStyle& style_;
  TextTriage triage_;
  std::string out_;
  bool overviewShown_ = false;
};

}  // namespace

std::string renderGlance(const RunReport& report, const TextStyle& style) {
  return GlanceWriter(report, style).render();
}

}  // namespace bbcheck
