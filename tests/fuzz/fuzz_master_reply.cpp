// Fuzzes what `bbcheck fleet` reads from a Buildbot master's REST API: any
// bytes as the reply to /workers, /builders and /builders/N/builds, then the
// fleet rendered as text and JSON. A reply is either read or a FleetError
// (exit 2 naming the URL), never a crash, hang or other exception.
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "checker/cli/command_fleet.h"
#include "checker/farm/fleet_client.h"
#include "checker/farm/fleet_status.h"

namespace {

// As MasterClient::get parses a reply: a JSON object or a FleetError.
Poco::JSON::Object::Ptr parsed(const std::string& text) {
  try {
    Poco::Dynamic::Var v = Poco::JSON::Parser().parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  throw bbcheck::FleetError("not a JSON object");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<bbcheck::WorkerStatus> workers;
  try {
    workers = bbcheck::parseWorkers(parsed(text));
  } catch (const bbcheck::FleetError&) {
  }
  try {
    bbcheck::parseBbcheckBuilders(parsed(text), "bbcheck-");
  } catch (const bbcheck::FleetError&) {
  }
  try {
    int64_t workerId = 0;
    bbcheck::WorkerCheck check = bbcheck::parseLatestBuild(parsed(text), "bbcheck-w1", &workerId);
    if (workers.empty()) workers.push_back({workerId, "w1", true, false, {}});
    workers.front().check = check;
  } catch (const bbcheck::FleetError&) {
  }
  bbcheck::FleetClock clock;
  bbcheck::renderFleetText(workers, "http://u:p@127.0.0.1/?token=t", clock);
  bbcheck::renderFleetJson(workers, "http://u:p@127.0.0.1/?token=t", clock);
  return 0;
}
