#include "probes/environment/display.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "probes/environment/service_env.h"
#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {

DisplayTarget parseDisplay(const std::string& display) {
  DisplayTarget t;
  size_t colon = display.rfind(':');
  if (colon == std::string::npos) {
    t.error = fmt::format("DISPLAY={} has no ':' (expected :0 or unix:0)", display);
    return t;
  }
  std::string host = display.substr(0, colon);
  std::string number = display.substr(colon + 1);
  number = number.substr(0, number.find('.'));  // ":0.1": screen 1 of display 0
  bool digits = !number.empty() && number.size() < 6 &&
                number.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    t.error = fmt::format("DISPLAY={}: no display number", display);
    return t;
  }
  if (!host.empty() && host != "unix") {
    t.error = fmt::format("DISPLAY={} names a remote display, which is not checked", display);
    return t;
  }
  t.local = true;
  t.socket = "/tmp/.X11-unix/X" + number;
  return t;
}

std::string connectDisplay(const DisplayTarget& target) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "socket: " + errnoText(errno);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, target.socket.c_str(), sizeof address.sun_path - 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  int err = errno;
  ::close(fd);
  if (rc != 0) return fmt::format("cannot connect to {}: {}", target.socket, errnoText(err));
  return "";
}

namespace {

struct DisplayParams {
  std::string path;  // the build area whose worker's DISPLAY is read; "": bbcheck's own
  std::string user;  // whose crontab says how it starts ("": bbcheck's user)
};

// Where the worker's display comes from, and how to give it one that
// outlives the worker's start. `xvfb-run buildbot-worker start` does not:
// the worker daemonises, xvfb-run sees its command end and kills Xvfb.
struct WorkerDisplay {
  bool from_service = false;
  ServiceEnvironment env;
  std::string display;
  std::string
      whose;  // "the worker's environment (cron: crontab of bb)", "bbcheck's own environment"
};

std::string displayFix(const WorkerDisplay& w, const std::string& display) {
  std::string number = display.empty() ? "99" : display.substr(display.rfind(':') + 1);
  number = number.substr(0, number.find('.'));
  std::string name = ":" + number;
  if (w.from_service && w.env.manager == "systemd")
    return fmt::format(
        "Run an X server that outlives the worker's start: `apt-get install xvfb`, an Xvfb unit "
        "(`ExecStart=/usr/bin/Xvfb {} -nolisten tcp`, `systemctl enable --now` it), and in {} "
        "`Environment=DISPLAY={}` with `Wants=` and `After=` that unit (`systemctl edit {}`).",
        name, w.env.unit, name, w.env.unit);
  std::string setDisplay = w.from_service
                               ? w.env.howToSet("DISPLAY", name)
                               : fmt::format(
                                     "set `DISPLAY={}` where the worker starts (above its @reboot "
                                     "line in the crontab, or `Environment=` in its unit)",
                                     name);
  return fmt::format(
      "Run an X server that outlives the worker's start: `apt-get install xvfb`, add "
      "`@reboot Xvfb {} -nolisten tcp &` before the worker's @reboot line (the same "
      "crontab), and {}. Not `xvfb-run buildbot-worker start`: the worker daemonises and "
      "xvfb-run then stops its X server.",
      name, setDisplay);
}

WorkerDisplay workerDisplay(const DisplayParams& params, Clock::time_point deadline) {
  WorkerDisplay w;
  if (!params.path.empty()) {
    w.env = readServiceEnvironment(params.path, params.user, deadline);
    if (w.env.known) {
      w.from_service = true;
      auto it = w.env.env.find("DISPLAY");
      w.display = it == w.env.env.end() ? "" : it->second;
      w.whose = fmt::format("the worker's environment ({})", w.env.origin());
      return w;
    }
  }
  const char* value = std::getenv("DISPLAY");
  w.display = value != nullptr ? value : "";
  w.whose = params.path.empty()
                ? "bbcheck's own environment"
                : fmt::format("bbcheck's own environment (how the worker starts is unknown: {})",
                              w.env.why_unknown);
  return w;
}

Outcome runDisplay(const DisplayParams& params, const ProbeContext& ctx) {
  WorkerDisplay w = workerDisplay(params, ctx.deadline);
  const std::string& display = w.display;
  Object observed;
  observed["display"] = display;
  observed["environment"] = w.whose;
  Object expected;
  expected["display"] = "a display that accepts connections";
  if (display.empty()) {
    Outcome out =
        Outcome::fail(fmt::format("DISPLAY is not set in {}: the GUI tests (test_tkinter, "
                                  "test_ttk, test_idle) are skipped",
                                  w.whose),
                      observed, expected);
    out.fix = displayFix(w, display);
    return out;
  }
  DisplayTarget target = parseDisplay(display);
  if (!target.error.empty()) return Outcome::error(target.error, observed);
  observed["socket"] = target.socket;
  std::string problem = connectDisplay(target);
  if (!problem.empty()) {
    Outcome out = Outcome::fail(
        fmt::format("DISPLAY={} ({}): {}; the GUI tests are skipped", display, w.whose, problem),
        observed, expected);
    out.fix = displayFix(w, display);
    return out;
  }
  return Outcome::pass(
      fmt::format("DISPLAY={} ({}) accepts connections ({})", display, w.whose, target.socket),
      observed, expected);
}

}  // namespace

ProbeKind displayProbe() {
  return probeKind(
      "display",
      "the worker's $DISPLAY (its service environment; bbcheck's own without a build area) "
      "names a local X display that accepts connections (for GUI tests)",
      {pathParam("path", &DisplayParams::path,
                 "the build area whose worker's DISPLAY is read (default: bbcheck's own)"),
       stringParam("user", &DisplayParams::user,
                   "whose crontab says how the worker starts (default: the user running bbcheck)")},
      runDisplay);
}

}  // namespace bbcheck
