// Reading a Buildbot master's REST API (/api/v2) for `bbcheck fleet`: plain
// GETs through Poco's HTTP client, replies parsed as JSON. Every way the
// master can fail to answer becomes a FleetError with a message that names
// the URL; nothing here prints.
#pragma once

#include <Poco/JSON/Object.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

namespace bbcheck {

struct FleetError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A master URL as it may be shown: user:password@ taken out, and the value
// of every query parameter (?token=..., ?password=...) replaced by
// "REDACTED".
std::string redactedUrl(const std::string& url);

class MasterClient {
 public:
  using Clock = std::chrono::steady_clock;

  // `master` is the master's base URL (http or https), e.g.
  // http://buildbot.example.org:8010/ — /api/v2/... is appended to its path.
  // Each request must be answered in full within `timeout` (not per read: a
  // master that trickles its reply is cut off too), and every request ends
  // by `deadline`, the whole command's.
  MasterClient(const std::string& master, std::chrono::milliseconds timeout,
               Clock::time_point deadline = Clock::time_point::max());
  ~MasterClient();

  // "" or, for http://, that a password would go unencrypted.
  std::string plainHttpWarning() const;

  // Logs in with HTTP Basic at /auth/login; later requests carry the
  // session cookie the master gave. Throws FleetError when refused.
  void login(const std::string& user, const std::string& password);

  // GET /api/v2/PATH_AND_QUERY; the reply must be a JSON object.
  Poco::JSON::Object::Ptr get(const std::string& pathAndQuery);

  // Replies larger than this are refused: a master's answer for hundreds of
  // workers is well under it.
  static constexpr size_t kMaxReplyBytes = 32u << 20;

  // At most this many requests in one command: one per bbcheck builder and
  // a few more. A master listing more bbcheck builders is refused, however
  // quickly it answers, rather than asked without end.
  static constexpr size_t kMaxRequests = 1000;

 private:
  std::string fetch(const std::string& path, const std::string& authorization,
                    std::string* setCookie);
  struct Target;
  std::unique_ptr<Target> target_;
  std::chrono::milliseconds timeout_;
  Clock::time_point deadline_;
  size_t requests_ = 0;
  std::string cookie_;
};

}  // namespace bbcheck
