// What bbcheck asks its session helper (bbcheck-session, session/) to do,
// and how the helper answers. bbcheck has threads, and libpam must not run
// in a forked child of a threaded process, so the PAM session the worker's
// service manager opens is opened by that small single-threaded program:
// bbcheck execs it with the request on descriptor 3 and reads its status
// on descriptor 4. The encoding is NUL-terminated KEY=VALUE fields, one
// per value, so that any variable (newlines included) passes unchanged and
// nothing secret appears on a command line.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace bbcheck::session {

constexpr int kRequestFd = 3;  // the helper reads the request here, to its end
constexpr int kStatusFd = 4;   // the helper writes status lines here
constexpr const char* kHelperName = "bbcheck-session";
constexpr const char* kDescribeFlag = "--describe";

struct RequestLimit {
  int resource = 0;  // RLIMIT_*
  uint64_t soft = 0;
  uint64_t hard = 0;
};

struct Request {
  // The PAM service whose account step and session the manager opens
  // ("cron", a unit's PAMName=); "" opens none.
  std::string pam_service;
  // systemd puts the unit's variables into PAM and starts the program with
  // PAM's list; cron starts it with PAM's list overridden by its own.
  bool env_through_pam = false;
  std::string user;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  mode_t umask = 022;
  std::string working_directory;
  std::vector<RequestLimit> limits;  // set before the session (pam_limits may change them)
  std::vector<std::string> env;      // NAME=VALUE
  std::string program;               // absolute path
  std::vector<std::string> args;     // after the program's name
};

// The helper's status lines, one word then a message: "note MESSAGE" (what
// could not be rehearsed), then exactly one of "started PID" (the program
// runs, in its own process group PID), "refused MESSAGE" (PAM refused the
// account or the session, with PAM's words) or "failed MESSAGE".
struct Status {
  std::vector<std::string> notes;
  std::string outcome;  // "started", "refused", "failed"; "" when none came
  std::string message;
  pid_t program = 0;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

void appendField(std::string& out, const std::string& key, const std::string& value);
Fields decodeFields(const std::string& text);

std::string encodeRequest(const Request& request);
// False (and `error`) on a field it does not know or a number it cannot read.
bool decodeRequest(const std::string& text, Request& request, std::string& error);

// One status line (without newlines inside the message).
std::string statusLine(const std::string& word, const std::string& message);
Status decodeStatus(const std::string& text);

}  // namespace bbcheck::session
