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

// A master URL with any user:password@ taken out, for messages.
std::string redactedUrl(const std::string& url);

class MasterClient {
 public:
  // `master` is the master's base URL (http or https), e.g.
  // http://buildbot.example.org:8010/ — /api/v2/... is appended to its path.
  MasterClient(const std::string& master, std::chrono::milliseconds timeout);
  ~MasterClient();

  // Logs in with HTTP Basic at /auth/login; later requests carry the
  // session cookie the master gave. Throws FleetError when refused.
  void login(const std::string& user, const std::string& password);

  // GET /api/v2/PATH_AND_QUERY; the reply must be a JSON object.
  Poco::JSON::Object::Ptr get(const std::string& pathAndQuery);

  // Replies larger than this are refused: a master's answer for hundreds of
  // workers is well under it.
  static constexpr size_t kMaxReplyBytes = 32u << 20;

 private:
  std::string fetch(const std::string& path, const std::string& authorization,
                    std::string* setCookie);
  struct Target;
  std::unique_ptr<Target> target_;
  std::chrono::milliseconds timeout_;
  std::string cookie_;
};

}  // namespace bbcheck
