// A process group's CPU time and state from /proc: every /proc/PID/stat
// names its process group (field 5), its state (field 3) and its CPU times
// (fields 14-17: utime, stime, and cutime, cstime of the children it has
// reaped), in clock ticks. Threads have their own state in
// /proc/PID/task/TID/stat (a linker's main thread may wait for its workers).
#include <dirent.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "probes/process_group_usage.h"

namespace bbcheck {
namespace {

struct Stat {
  char state = '?';
  long group = -1;
  long long ticks = 0;  // utime + stime + cutime + cstime
};

// The fields after the command name, which is in parentheses and may itself
// hold spaces and parentheses: the last ')' ends it.
std::optional<Stat> readStat(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::vector<std::string> f;
  std::string word;
  while (f.size() < 15 && fields >> word) f.push_back(word);
  if (f.size() < 15) return std::nullopt;
  // f[0] is field 3 (state), f[2] field 5 (pgrp), f[11..14] fields 14-17.
  Stat s;
  s.state = f[0].empty() ? '?' : f[0][0];
  s.group = std::strtol(f[2].c_str(), nullptr, 10);
  for (int i = 11; i <= 14; ++i) s.ticks += std::strtoll(f[i].c_str(), nullptr, 10);
  return s;
}

// R running or waiting for a CPU, D waiting for the disk, Z exited (done,
// not stuck), W paging (old kernels).
bool atWork(char state) {
  return state == 'R' || state == 'D' || state == 'Z' || state == 'W';
}

bool anyThreadAtWork(const std::string& pid) {
  std::unique_ptr<DIR, int (*)(DIR*)> tasks(::opendir(("/proc/" + pid + "/task").c_str()),
                                            ::closedir);
  if (!tasks) return false;
  while (dirent* e = ::readdir(tasks.get())) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    auto s = readStat("/proc/" + pid + "/task/" + e->d_name + "/stat");
    if (s && atWork(s->state)) return true;
  }
  return false;
}

bool isNumber(const char* name) {
  for (const char* c = name; *c; ++c)
    if (!std::isdigit(static_cast<unsigned char>(*c))) return false;
  return *name != '\0';
}

}  // namespace

std::optional<GroupUsage> groupUsage(pid_t group) {
  std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) return std::nullopt;
  static const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
  if (ticksPerSecond <= 0) return std::nullopt;
  GroupUsage usage;
  long long ticks = 0;
  while (dirent* e = ::readdir(proc.get())) {
    if (!isNumber(e->d_name)) continue;
    auto s = readStat(std::string("/proc/") + e->d_name + "/stat");
    if (!s || s->group != group) continue;
    ++usage.processes;
    ticks += s->ticks;
    if (!usage.at_work) usage.at_work = atWork(s->state) || anyThreadAtWork(e->d_name);
  }
  usage.cpu = Milliseconds(ticks * 1000 / ticksPerSecond);
  return usage;
}

}  // namespace bbcheck
