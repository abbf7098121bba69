// Linux: the ancestors' limits from /proc/PID/limits and /proc/PID/stat.
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "probes/environment/open_files_limit.h"

namespace bbcheck {
namespace {

bool readLimits(int pid, FileLimit& out) {
  std::ifstream in(fmt::format("/proc/{}/limits", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Max open files", 0) != 0) continue;
    std::istringstream words(line.substr(14));
    std::string soft, hard;
    if (!(words >> soft >> hard)) return false;
    auto value = [](const std::string& v) { return v == "unlimited" ? kUnlimited : std::stoll(v); };
    try {
      out = {value(soft), value(hard)};
    } catch (...) {
      return false;
    }
    return true;
  }
  return false;
}

// The parent pid and command name from /proc/PID/stat ("pid (comm) state ppid").
bool readParent(int pid, int& ppid, std::string& comm) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t open = text.find('('), close = text.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  comm = text.substr(open + 1, close - open - 1);
  std::istringstream rest(text.substr(close + 1));
  std::string state;
  return static_cast<bool>(rest >> state >> ppid);
}

}  // namespace

LimitOrigin findLimitOrigin(const FileLimit& ours) {
  LimitOrigin origin;
  std::ifstream nrOpen("/proc/sys/fs/nr_open");
  if (!(nrOpen >> origin.kernel_max)) origin.kernel_max = -1;
  int pid = ::getpid();
  int ppid = 0;
  std::string comm;
  if (!readParent(pid, ppid, comm)) return origin;
  origin.known = true;
  origin.set_by_pid = pid;
  origin.set_by = comm;
  // Walk up while the parent has the same limit; at most 64 steps.
  for (int steps = 0; steps < 64 && ppid > 0; ++steps) {
    FileLimit parentLimit;
    int grandparent = 0;
    std::string parentComm;
    if (!readLimits(ppid, parentLimit) || !readParent(ppid, grandparent, parentComm)) break;
    if (parentLimit.soft != ours.soft || parentLimit.hard != ours.hard) {
      origin.inherited_from =
          fmt::format("its parent, pid {} ({}), has {}/{}", ppid, parentComm,
                      openFilesText(parentLimit.soft), openFilesText(parentLimit.hard));
      break;
    }
    origin.set_by_pid = ppid;
    origin.set_by = parentComm;
    ppid = grandparent;
  }
  return origin;
}

}  // namespace bbcheck
