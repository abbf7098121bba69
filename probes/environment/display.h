// An X display for the GUI tests (tkinter, IDLE): $DISPLAY names one that
// accepts connections, usually an Xvfb started by xvfb-run.
#pragma once

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// Probe kind "display": $DISPLAY names a local X display that accepts connections.
ProbeKind displayProbe();

struct DisplayTarget {
  bool local = false;  // ":N", "unix:N", ":N.S": a socket under /tmp/.X11-unix
  std::string socket;  // "/tmp/.X11-unix/XN"
  std::string error;   // cannot read $DISPLAY
};

// Reads a DISPLAY value; only local displays are understood.
DisplayTarget parseDisplay(const std::string& display);

// "" when a connection to the display's socket is accepted, else why not.
std::string connectDisplay(const DisplayTarget& target);

}  // namespace bbcheck
