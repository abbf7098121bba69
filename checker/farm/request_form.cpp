// The request's answers as the farm receives them: a prefilled form URL
// (query encoding by Poco::URI), the same answers as text, and the entry for
// the farm's worker list.
#include "checker/farm/request_form.h"

#include <Poco/URI.h>
#include <fmt/format.h>

#include <algorithm>

namespace bbcheck {
namespace {

// A Markdown list: worker-special is a textarea, shown as an issue's body.
std::string specialList(const std::vector<std::string>& items, bool shortened) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : "\n") + ("- " + item);
  if (shortened)
    out += (out.empty() ? "" : "\n") +
           std::string("- (shortened to fit the URL: the full list is in bbcheck request's text)");
  return out;
}

// The form's fields in its own order; special last.
const std::vector<std::string> kUrlOrder = {"owner_username", "owner_github", "owner_name",
                                            "owner_email",    "architecture", "operating_system"};

std::string pythonList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return "[" + out + "]";
}

}  // namespace

std::string obfuscateEmail(const std::string& email) {
  size_t at = email.find('@');
  if (at == std::string::npos) return email;
  std::string domain;
  for (char c : email.substr(at + 1)) domain += c == '.' ? std::string(" dot ") : std::string(1, c);
  return email.substr(0, at) + " at " + domain;
}

RequestUrl requestUrl(const RequestAnswers& a, const Onboarding& form, size_t maxBytes) {
  RequestUrl result;
  std::vector<std::string> special = a.special;
  std::vector<std::string> dropped;  // answers left out of the URL, to fit
  bool shortened = false, titleDropped = false, specialDropped = false;
  auto build = [&] {
    Poco::URI uri(form.form);
    if (!form.template_name.empty()) uri.addQueryParameter("template", form.template_name);
    if (!form.title.empty() && !titleDropped) uri.addQueryParameter("title", a.title);
    for (const auto& name : kUrlOrder) {
      auto field = form.fields.find(name);
      const std::string& value = a.answers.at(name);
      if (field == form.fields.end() || value.empty()) continue;
      if (std::find(dropped.begin(), dropped.end(), name) != dropped.end()) continue;
      uri.addQueryParameter(field->second.id, value);
    }
    auto field = form.fields.find("special");
    if (field != form.fields.end() && (!special.empty() || shortened))
      uri.addQueryParameter(field->second.id, specialList(special, shortened));
    return uri.toString();
  };
  // Shorten worker-special item by item, then leave out what the volunteer
  // typed (it may be long), longest first, and the title last.
  result.url = build();
  while (result.url.size() > maxBytes && !special.empty()) {
    special.pop_back();
    shortened = true;
    result.url = build();
  }
  while (result.url.size() > maxBytes) {
    std::string longest;
    for (const char* name : {"owner_name", "owner_email", "owner_username", "owner_github"}) {
      if (std::find(dropped.begin(), dropped.end(), name) != dropped.end()) continue;
      if (longest.empty() || a.answers.at(name).size() > a.answers.at(longest).size())
        longest = name;
    }
    if (!longest.empty() && !a.answers.at(longest).empty()) {
      dropped.push_back(longest);
    } else if (!titleDropped) {
      titleDropped = true;
    } else if (shortened || !special.empty()) {
      special.clear();  // not even the note fits: worker-special stays empty
      shortened = false;
      specialDropped = true;
    } else {
      break;  // the form's own address is too long: nothing more to leave out
    }
    result.url = build();
  }
  auto label = [&](const std::string& name) {
    auto field = form.fields.find(name);
    return field == form.fields.end() ? name : field->second.label;
  };
  if (specialDropped)
    result.notes.push_back(
        fmt::format("\"{}\" was left out to keep the URL under {} bytes: paste it from below",
                    label("special"), maxBytes));
  if (shortened)
    result.notes.push_back(fmt::format(
        "\"{}\" was shortened to keep the URL under {} bytes: paste the full list from below",
        label("special"), maxBytes));
  for (const auto& name : dropped)
    result.notes.push_back(
        fmt::format("\"{}\" was left out to keep the URL under {} bytes: fill it in by hand",
                    label(name), maxBytes));
  if (titleDropped)
    result.notes.push_back(fmt::format("the title was left out: set it to \"{}\"", a.title));
  return result;
}

std::string requestText(const RequestAnswers& a, const Onboarding& form) {
  std::string out;
  auto line = [&](const std::string& name) {
    auto field = form.fields.find(name);
    if (field == form.fields.end()) return;
    const std::string& value = a.answers.at(name);
    out += fmt::format("{}: {}\n", field->second.label, value.empty() ? "(not given)" : value);
  };
  if (!form.title.empty()) out += fmt::format("Title: {}\n", a.title);
  for (const char* name : {"owner_username", "owner_github", "owner_name", "owner_email"})
    line(name);
  if (!form.password.id.empty())
    out += fmt::format("{}: (a choice the form cannot prefill) {}\n", form.password.label,
                       form.password_advice.empty() ? "pick one" : form.password_advice);
  for (const char* name : {"architecture", "operating_system"}) line(name);
  auto special = form.fields.find("special");
  if (special != form.fields.end())
    out += fmt::format("{}\n{}\n", special->second.label, specialList(a.special, false));
  return out;
}

std::string workerEntry(const RequestAnswers& a, const Onboarding& form) {
  if (form.entry_call.empty()) return "";
  std::string entry = fmt::format("{}(name=\"{}\", tags={}, parallel_tests={}", form.entry_call,
                                  a.worker_name, pythonList(a.tags), a.parallel_tests);
  if (!a.exclude_test_resources.empty())
    entry += fmt::format(", exclude_test_resources={}", pythonList(a.exclude_test_resources));
  return entry + ")";
}

}  // namespace bbcheck
