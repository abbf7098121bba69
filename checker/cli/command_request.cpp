// bbcheck request (see command_request.h).
#include "checker/cli/command_request.h"

#include <fmt/format.h>

#include <memory>

#include "checker/cli/command_run.h"
#include "checker/farm/request_form.h"

namespace bbcheck {
namespace {

std::string indented(const std::string& text, const std::string& pad) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += pad + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

CommandRunner defineRequestCommand(CLI::App& command) {
  auto args = std::make_shared<RunArgs>();
  args->request = true;
  addRunOptions(command, *args);
  return [args] { return runCommand(*args); };
}

void attachWorkerRequest(RunReport& report) {
  if (report.profile->onboarding)
    report.worker_request = workerRequestOf(requestAnswers(report, *report.profile->onboarding));
}

void printRequest(const RunReport& report, std::ostream& out) {
  const Onboarding& form = *report.profile->onboarding;
  RequestAnswers answers = requestAnswers(report, form);
  RequestUrl url = requestUrl(answers, form);
  std::string text;
  text += "\nThe request to the farm (" + form.form + "):\n";
  if (report.interrupted || report.verdict != Verdict::Ready)
    text +=
        "  This host is NOT READY yet: fix what is listed above first, run `bbcheck request` "
        "again, then send it.\n";
  text += "\n1. Open this URL: the form opens with these answers filled in.\n\n" + url.url + "\n\n";
  if (!form.password.id.empty())
    text += fmt::format("   \"{}\" is a choice the form cannot prefill: pick {}.\n",
                        form.password.label,
                        form.password_advice.empty() ? "one" : form.password_advice);
  for (const auto& note : url.notes) text += "   Note: " + note + ".\n";
  if (!answers.notes.empty()) {
    text += "   Still to give (run again with these, or type them into the form):\n";
    for (const auto& note : answers.notes) text += "   - " + note + "\n";
  }
  text += "\n2. The same answers, to paste:\n\n" + indented(requestText(answers, form), "   ");
  std::string entry = workerEntry(answers, form);
  if (!entry.empty()) {
    std::string where = form.entry_file.empty() ? "their worker list" : form.entry_file;
    text +=
        fmt::format("\n3. The entry the farm's admins will add to {}:\n\n   {}\n", where, entry);
  }
  out << text << std::flush;
}

}  // namespace bbcheck
