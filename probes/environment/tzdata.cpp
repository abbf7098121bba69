#include "probes/environment/tzdata.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

constexpr size_t kHeaderSize = 44;            // magic, version, 15 reserved, six counts
constexpr size_t kMaxZoneFile = 1024 * 1024;  // real ones are a few KiB

uint32_t bigEndian32(const std::string& text, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(text[at + i]);
  return v;
}

}  // namespace

std::string zoneinfoDirectory() {
  const char* dir = std::getenv("TZDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/usr/share/zoneinfo";
}

std::string checkTzif(const std::string& text, int& version) {
  if (text.size() < kHeaderSize)
    return fmt::format("{} bytes: too short for a TZif header", text.size());
  if (text.compare(0, 4, "TZif") != 0) return "not a TZif file (no \"TZif\" magic)";
  char v = text[4];
  if (v == '\0')
    version = 1;
  else if (v >= '2' && v <= '9')
    version = v - '0';
  else
    return "unknown TZif version byte";
  // Counts, in order: isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt.
  uint64_t isut = bigEndian32(text, 20), isstd = bigEndian32(text, 24),
           leap = bigEndian32(text, 28), time = bigEndian32(text, 32),
           types = bigEndian32(text, 36), chars = bigEndian32(text, 40);
  if (types == 0) return "TZif header declares no local time types";
  if ((isut != 0 && isut != types) || (isstd != 0 && isstd != types))
    return "TZif header counts are inconsistent";
  uint64_t body = time * 5 + types * 6 + chars + leap * 8 + isstd + isut;
  if (kHeaderSize + body > text.size())
    return fmt::format("truncated: the header promises {} bytes of data, the file has {}", body,
                       text.size() - kHeaderSize);
  return "";
}

ZoneReading readZone(const std::string& directory, const std::string& zone) {
  ZoneReading r;
  r.zone = zone;
  r.path = directory + "/" + zone;
  std::ifstream in(r.path, std::ios::binary);
  if (!in) {
    r.error = fmt::format("cannot open {}: {}", r.path, errnoText(errno));
    return r;
  }
  std::string text;
  text.resize(kMaxZoneFile + 1);
  in.read(&text[0], static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxZoneFile) {
    r.error = fmt::format("{} is larger than any zone file", r.path);
    return r;
  }
  r.error = checkTzif(text, r.version);
  r.ok = r.error.empty();
  return r;
}

namespace {

struct TzdataParams {
  std::vector<std::string> zones = {"UTC", "America/New_York", "Europe/London", "Asia/Tokyo"};
};

Outcome runTzdata(const TzdataParams& params, const ProbeContext&) {
  std::string dir = zoneinfoDirectory();
  Object observed;
  observed["directory"] = dir;
  Array zones;
  std::vector<std::string> bad, good;
  for (const std::string& zone : params.zones) {
    ZoneReading r = readZone(dir, zone);
    Object z;
    z["zone"] = zone;
    z["ok"] = r.ok;
    if (r.ok)
      z["version"] = r.version;
    else
      z["error"] = r.error;
    zones.push_back(z);
    if (r.ok)
      good.push_back(zone);
    else
      bad.push_back(fmt::format("{} ({})", zone, r.error));
  }
  observed["zones"] = zones;
  Object expected;
  expected["zones"] = Array(params.zones.begin(), params.zones.end());
  std::string where = std::getenv("TZDIR") != nullptr && *std::getenv("TZDIR") != '\0'
                          ? fmt::format("TZDIR={}", dir)
                          : dir;
  if (!bad.empty())
    return Outcome::fail(fmt::format("{} of {} zones not loadable from {}: {}", bad.size(),
                                     bad.size() + good.size(), where, fmt::join(bad, "; ")),
                         observed, expected);
  return Outcome::pass(
      fmt::format("{} zones load from {}: {}", good.size(), where, fmt::join(good, ", ")), observed,
      expected);
}

}  // namespace

ProbeKind tzdataProbe() {
  return probeKind(
      "tzdata", "zoneinfo files (TZDIR or /usr/share/zoneinfo) exist and are valid TZif",
      {stringListParam("zones", &TzdataParams::zones, "zone names that must load")}, runTzdata);
}

}  // namespace bbcheck
