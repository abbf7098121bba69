#include "checker/report/stop_signal_name.h"

#include <csignal>

namespace bbcheck {
namespace {

struct NamedSignal {
  int number;
  const char* name;
};

// The stop signals of checker/cli/stop_signals.h.
constexpr NamedSignal kStopSignals[] = {
    {SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}};

}  // namespace

std::string stopSignalName(int signal) {
  for (const NamedSignal& s : kStopSignals)
    if (s.number == signal) return s.name;
  return "";
}

int stopSignalNamed(const std::string& name) {
  for (const NamedSignal& s : kStopSignals)
    if (name == s.name) return s.number;
  return 0;
}

}  // namespace bbcheck
