#include "probes/environment/display.h"

#include <fmt/format.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

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

Outcome runDisplay(const NoParams&, const ProbeContext&) {
  const char* value = std::getenv("DISPLAY");
  std::string display = value != nullptr ? value : "";
  Object observed;
  observed["display"] = display;
  Object expected;
  expected["display"] = "a display that accepts connections";
  if (display.empty())
    return Outcome::fail(
        "DISPLAY is not set: the GUI tests (test_tkinter, test_ttk, test_idle) are skipped",
        observed, expected);
  DisplayTarget target = parseDisplay(display);
  if (!target.error.empty()) return Outcome::error(target.error, observed);
  observed["socket"] = target.socket;
  std::string problem = connectDisplay(target);
  if (!problem.empty())
    return Outcome::fail(fmt::format("DISPLAY={}: {}; the GUI tests are skipped", display, problem),
                         observed, expected);
  return Outcome::pass(fmt::format("DISPLAY={} accepts connections ({})", display, target.socket),
                       observed, expected);
}

}  // namespace

ProbeKind displayProbe() {
  return probeKind("display",
                   "$DISPLAY names a local X display that accepts connections (for GUI tests)", {},
                   runDisplay);
}

}  // namespace bbcheck
