// Helpers shared by the buildarea probe's aspects (tac, info, ownership,
// keepalive, leftover), one file each.
#pragma once

#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "probes/buildbot/buildbot_tac.h"
#include "probes/probe.h"
#include "probes/worker/worker_user.h"

// buildarea_detail keeps these generic names out of bbcheck.
namespace bbcheck::buildarea_detail {

// Poco 1.11's DynamicStruct has no initializer-list constructor.
inline Object obj(std::map<std::string, Value> fields) {
  return Object(fields);
}

inline std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// The command that makes a build area, run as the worker's user.
std::string createFix(const std::string& area, const Account& who);

// `command` as the worker's user would type it; when bbcheck runs as root
// for another user, wrapped so that it runs as that user
// (`runuser -u bob -- command`), never as root.
std::string asWorker(const std::string& command, const Account& who);

// Loads buildbot.tac for the aspects that only read settings. A missing file
// is a decided "not ready" (fail); an unreadable one is an error.
std::optional<BuildbotTac> loadTac(const std::string& area, const Account& who, Outcome* problem);

}  // namespace bbcheck::buildarea_detail
