#include "checker/farm/request_answers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "checker/farm/request_form.h"
#include "checker/profile/check_builder.h"
#include "checker/profile/vars.h"
#include "checker/report/safe_text.h"
#include "checker/run/selection.h"
#include "probes/buildbot/info_files.h"
#include "probes/utf8_text.h"

namespace bbcheck {
namespace {

// Answers go into a URL, an issue and a terminal: one line, no control
// characters (ASCII ones become spaces, the rest pass the text boundary),
// bounded, and cut between characters, never inside one.
std::string oneLineAnswer(const std::string& text, size_t max = 200) {
  std::string spaced;
  for (unsigned char c : text) spaced += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
  std::string out = safeLine(spaced);
  size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  out = out.substr(begin, out.find_last_not_of(' ') - begin + 1);
  return std::string(cutAtCharacter(out, max));
}

std::string var(const RunReport& report, const std::string& name) {
  auto it = report.profile->vars.find(name);
  return it == report.profile->vars.end() ? "" : oneLineAnswer(it->second);
}

struct Owner {
  std::string name;
  std::string email;
};

// "Jane Volunteer <jane at example dot org>" from BUILDAREA/info/admin,
// unless it still holds create-worker's template text.
Owner ownerFromInfoAdmin(const std::string& buildarea) {
  Owner owner;
  std::string line = oneLineAnswer(infoAdminLine(expandHome(buildarea)));
  if (line.empty()) return owner;
  size_t open = line.find('<'), close = line.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    owner.name = oneLineAnswer(line.substr(0, open));
    owner.email = oneLineAnswer(line.substr(open + 1, close - open - 1));
  } else {
    owner.name = line;
  }
  return owner;
}

bool bad(Status s) {
  return s == Status::Fail || s == Status::Error || s == Status::Blocked;
}

bool matchesAny(const std::vector<std::string>& selectors, const Check& check) {
  return std::any_of(selectors.begin(), selectors.end(),
                     [&](const std::string& s) { return selectorMatches(s, check); });
}

// Buildbot worker names end up in paths and URLs: letters, digits, . _ -.
std::string workerNameSafe(std::string name) {
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '-';
  return name;
}

// The farm's tag vocabulary (reference/worker-requirements.md): OS family,
// distribution, architecture, and special (bigmem, docker, clang).
std::vector<std::string> farmTags(const HostFacts& host, const std::string& arch) {
  std::vector<std::string> tags;
  std::string platform = currentPlatform();
  if (platform == "linux")
    tags = {"linux", "unix"};
  else if (platform == "darwin")
    tags = {"macOS", "unix"};
  else if (platform == "freebsd")
    tags = {"freebsd", "bsd", "unix"};
  else if (platform == "windows")
    tags = {"windows"};
  static const std::set<std::string> distros = {"debian", "ubuntu", "fedora", "rhel",
                                                "arch",   "alpine", "nixos",  "raspbian"};
  if (distros.count(host.os_id)) tags.push_back(host.os_id);
  static const std::set<std::string> arches = {"amd64",   "x86",   "arm",     "arm64", "armv7l",
                                               "ppc64le", "s390x", "riscv64", "sparc"};
  if (arches.count(arch)) tags.push_back(arch);
  // The farm tags 64-bit ARM workers both ways: Debian's arm64 and the
  // kernel's aarch64 (builders select on either).
  if (arch == "arm64") tags.push_back("aarch64");
  // The farm's bigmem builder runs regrtest -M60g.
  if (host.memory_bytes >= (60LL << 30)) tags.push_back("bigmem");
  static const std::set<std::string> oci = {"docker", "podman"};
  static const std::set<std::string> containers = {"lxc",    "lxc-libvirt", "systemd-nspawn",
                                                   "openvz", "rkt",         "wsl",
                                                   "proot",  "pouch",       "container-other"};
  if (oci.count(host.virtualization))
    tags.push_back("docker");
  else if (containers.count(host.virtualization))
    tags.push_back("container");
  // Builds use the default C compiler: a clang there makes a clang builder.
  for (const auto& c : host.compilers) {
    if (c.name != "cc" || c.language != "c") continue;
    if (c.path.find("clang") != std::string::npos) tags.push_back("clang");
    break;
  }
  return tags;
}

std::string statusWord(Status s) {
  switch (s) {
    case Status::Fail:
      return "fails";
    case Status::Error:
      return "could not be checked";
    case Status::Blocked:
      return "blocked";
    default:
      return statusName(s);
  }
}

// "4 CPUs; 8.0 GiB RAM (...); gcc 12.2.0" -> its items.
std::vector<std::string> splitFacts(const std::string& joined) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find("; ", start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) items.push_back(joined.substr(start, end - start));
    start = end + 2;
  }
  return items;
}

// What a blocked check waits on: the first check it needs that did not
// pass, followed through checks blocked in turn; nullptr when none is known.
const CheckResult* causeOf(const CheckResult& blocked,
                           const std::map<std::string, const CheckResult*>& byId) {
  const CheckResult* at = &blocked;
  std::set<const CheckResult*> seen;
  while (at->status == Status::Blocked && seen.insert(at).second) {
    const CheckResult* next = nullptr;
    for (const std::string& need : at->check->needs) {
      auto found = byId.find(need);
      if (found != byId.end() && bad(found->second->status)) {
        next = found->second;
        break;
      }
    }
    if (next == nullptr) break;
    at = next;
  }
  return at == &blocked || at->status == Status::Blocked ? nullptr : at;
}

}  // namespace

std::vector<std::string> testFailures(const RunReport& report, const Onboarding& form) {
  std::map<std::string, const CheckResult*> byId;
  for (const auto& r : report.results) byId.emplace(r.check->id, &r);
  // Real failures, each with the checks it kept from running.
  std::vector<const CheckResult*> failures;
  std::map<const CheckResult*, std::vector<const CheckResult*>> blockedBy;
  for (const auto& r : report.results) {
    if (!bad(r.status) || !matchesAny(form.tests_affected_by, *r.check)) continue;
    const CheckResult* cause = r.status == Status::Blocked ? causeOf(r, byId) : nullptr;
    const CheckResult* listed = cause ? cause : &r;
    if (cause) blockedBy[cause].push_back(&r);
    if (std::find(failures.begin(), failures.end(), listed) == failures.end())
      failures.push_back(listed);
  }
  // Most severe first (a cause counts as the most severe check it blocks).
  auto severityOf = [&](const CheckResult* r) {
    Severity most = r->check->severity;
    for (const CheckResult* b : blockedBy[r]) most = std::min(most, b->check->severity);
    return most;
  };
  std::stable_sort(
      failures.begin(), failures.end(),
      [&](const CheckResult* x, const CheckResult* y) { return severityOf(x) < severityOf(y); });
  std::vector<std::string> items;
  for (const CheckResult* r : failures) {
    std::string item = fmt::format("{}: {} ({}): {}", severityName(severityOf(r)),
                                   statusWord(r->status), r->check->id, r->check->title);
    const std::vector<const CheckResult*>& blocked = blockedBy[r];
    if (!blocked.empty()) {
      std::string ids;
      for (const CheckResult* b : blocked) ids += (ids.empty() ? "" : ", ") + b->check->id;
      item += fmt::format("; so {} check{} could not run: {}", blocked.size(),
                          blocked.size() == 1 ? "" : "s", ids);
    }
    items.push_back(oneLineAnswer(item, 400));
  }
  return items;
}

WorkerRequest workerRequestOf(const RequestAnswers& a) {
  std::string special;
  for (const auto& item : a.special) special += (special.empty() ? "" : "; ") + item;
  return {a.answers.at("architecture"), a.answers.at("operating_system"), special};
}

RequestAnswers requestAnswers(const RunReport& report, const Onboarding& form) {
  RequestAnswers a;
  const HostFacts& host = report.host;
  WorkerRequest machine = workerRequest(host);
  a.answers["architecture"] = oneLineAnswer(machine.architecture);
  a.answers["operating_system"] = oneLineAnswer(machine.operating_system);
  for (const auto& item : splitFacts(machine.special)) a.special.push_back(oneLineAnswer(item));

  // Checks whose failure changes which tests run here, and outbound access.
  bool outboundBad = false, outboundRan = false, outboundAny = false;
  for (const auto& r : report.results) {
    const Check& c = *r.check;
    if (matchesAny(form.outbound, c)) {
      outboundAny = true;
      outboundRan |= r.status != Status::Skip;
      outboundBad |= bad(r.status);
    }
  }
  for (const std::string& item : testFailures(report, form)) a.special.push_back(item);
  if (outboundBad && !form.exclude_when_offline.empty()) {
    a.exclude_test_resources = form.exclude_when_offline;
    std::string list;
    for (const auto& res : a.exclude_test_resources) list += (list.empty() ? "" : ", ") + res;
    a.special.push_back(
        fmt::format("outbound network access is limited: exclude the test resources {}", list));
  }
  if (outboundAny && !outboundRan)
    a.notes.push_back(
        "the outbound network checks did not run: say in the request whether this host can "
        "reach the internet (the network tests need it)");

  std::string owner = var(report, "owner"), email = var(report, "email");
  if (owner.empty() || email.empty()) {
    Owner fromFile = ownerFromInfoAdmin(var(report, "buildarea"));
    if (owner.empty()) owner = fromFile.name;
    if (email.empty()) email = fromFile.email;
  }
  a.answers["owner_name"] = owner;
  a.answers["owner_email"] = obfuscateEmail(email);
  a.answers["owner_username"] = var(report, "owner_username");
  // The form's placeholder is @username.
  std::string github = var(report, "owner_github");
  a.answers["owner_github"] = github.empty() || github[0] == '@' ? github : "@" + github;
  if (owner.empty()) a.notes.push_back("your name: --set owner=\"NAME\"");
  if (email.empty()) a.notes.push_back("your e-mail address: --set email=ADDRESS");
  if (a.answers["owner_username"].empty())
    a.notes.push_back(
        "your username on the farm, the same for all your workers: --set owner_username=NAME");
  if (form.fields.count("owner_github") && a.answers["owner_github"].empty())
    a.notes.push_back("your GitHub username, if you have one (optional): --set owner_github=NAME");

  std::string major = host.os_version.substr(0, host.os_version.find('.'));
  std::string suffix =
      (host.os_id.empty() ? "linux" : host.os_id) + major + "-" + a.answers["architecture"];
  std::string username = a.answers["owner_username"];
  a.worker_name = var(report, "worker_name");
  if (a.worker_name.empty()) a.worker_name = (username.empty() ? "OWNER" : username) + "-" + suffix;
  a.worker_name = workerNameSafe(a.worker_name);
  a.title = form.title;
  size_t at = a.title.find("{worker}");
  if (at != std::string::npos) a.title.replace(at, 8, a.worker_name);

  a.tags = farmTags(host, a.answers["architecture"]);
  a.parallel_tests = std::max(1, host.cpus);
  return a;
}

}  // namespace bbcheck
