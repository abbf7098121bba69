// Reading a small file whole (a twistd.pid, a /proc/<pid> entry); shared by
// the worker-running probe and its Linux process reader.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

// worker_running_detail keeps the generic name out of bbcheck, where other
// probes' helpers could clash.
namespace bbcheck::worker_running_detail {

// false when the file cannot be opened (the probe then looks at errno).
inline bool readWhole(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *text = s.str();
  return true;
}

}  // namespace bbcheck::worker_running_detail
