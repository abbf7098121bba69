#include "probes/buildbot/info_files.h"

#include <fstream>

namespace bbcheck {

std::string infoAdminLine(const std::string& buildarea) {
  if (buildarea.empty()) return "";
  std::ifstream in(buildarea + "/info/admin", std::ios::binary);
  if (!in) return "";
  char buffer[512];
  in.read(buffer, sizeof buffer);
  std::string text(buffer, static_cast<size_t>(in.gcount()));
  std::string line = text.substr(0, text.find('\n'));
  // Either half of the template: a volunteer who filled in only a name or
  // only an address has not yet said how to reach them.
  if (line.find("youraddress.invalid") != std::string::npos ||
      line.find("Your Name Here") != std::string::npos)
    return "";
  return line;
}

}  // namespace bbcheck
