// Reading waivers (see waiver_reader.h).
#include "checker/profile/waiver_reader.h"

#include <Poco/DateTime.h>
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "checker/profile/profile_error.h"
#include "checker/profile/raw_profile.h"
#include "checker/profile/yaml_reader.h"

namespace bbcheck {
namespace {

YamlNode document(const std::string& text, const std::string& file) {
  try {
    return readYamlDocument(text);
  } catch (const YamlSyntaxError& e) {
    throw ProfileError({file, static_cast<int>(e.line() + 1), static_cast<int>(e.column() + 1)},
                       std::string("YAML syntax: ") + e.what());
  }
}

Waiver waiverAt(const YamlNode& item, const std::string& file) {
  if (!item.isMap())
    throw ProfileError(positionOf(item, file), "a waiver is a mapping with id, why and until");
  Waiver w;
  SourcePos pos = positionOf(item, file);
  w.where = fmt::format("{}:{}:{}", pos.file, pos.line, pos.column);
  std::set<std::string> seen;
  for (const auto& [key, value] : item.entries()) {
    const std::string& name = key.scalar();
    if (!seen.insert(name).second)
      throw ProfileError(positionOf(key, file), fmt::format("{} given twice", name));
    std::string* field = name == "id"      ? &w.id
                         : name == "why"   ? &w.why
                         : name == "until" ? &w.until
                                           : nullptr;
    if (field == nullptr)
      throw ProfileError(positionOf(key, file),
                         fmt::format("unknown waiver key {} (expected id, why and until)", name));
    if (!value.isScalar() || value.scalar().empty())
      throw ProfileError(
          positionOf(value.isScalar() || value.isMap() || value.isSequence() ? value : key, file),
          fmt::format("{}: expected a non-empty text", name));
    *field = value.scalar();
  }
  for (const char* needed : {"id", "why", "until"})
    if (!seen.count(needed))
      throw ProfileError(pos, fmt::format("a waiver needs {} (id, why and until)", needed));
  if (!isCheckId(w.id))
    throw ProfileError(positionOf(item.find("id"), file),
                       fmt::format("id: {} is not a check id", w.id));
  if (!isIsoDate(w.until))
    throw ProfileError(positionOf(item.find("until"), file),
                       fmt::format("until: {}: expected a date like 2027-01-31", w.until));
  return w;
}

}  // namespace

bool isIsoDate(const std::string& text) {
  int year = 0, month = 0, day = 0, used = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &used) != 3 || used != 10)
    return false;
  return Poco::DateTime::isValid(year, month, day);
}

std::vector<Waiver> parseWaivers(const std::string& text, const std::string& file) {
  YamlNode root = document(text, file);
  if (!root.isMap() || !root.find("waivers").isDefined())
    throw ProfileError({file, 1, 1}, "expected a mapping with a waivers: list");
  for (const auto& [key, value] : root.entries())
    if (key.scalar() != "waivers")
      throw ProfileError(
          positionOf(key, file),
          fmt::format("unknown key {} (a waiver file holds waivers:)", key.scalar()));
  YamlNode list = root.find("waivers");
  if (list.isNull()) return {};
  if (!list.isSequence())
    throw ProfileError(positionOf(list, file), "waivers: expected a list of waivers");
  std::vector<Waiver> waivers;
  for (const YamlNode& item : list.items()) waivers.push_back(waiverAt(item, file));
  return waivers;
}

std::vector<Waiver> readWaiverFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ProfileError({}, fmt::format("--waivers {}: cannot read the file", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ProfileError({}, fmt::format("--waivers {}: cannot read the file", path));
  return parseWaivers(text.str(), path);
}

Waiver waiverFromFlag(const std::string& value) {
  Waiver w;
  w.where = "--waive " + value;
  size_t colon = value.rfind(':');
  w.id = value.substr(0, colon);
  if (colon != std::string::npos) w.until = value.substr(colon + 1);
  if (!isCheckId(w.id))
    throw ProfileError(
        {}, fmt::format("--waive {}: expected a check id, then :DATE or nothing", value));
  if (colon != std::string::npos && !isIsoDate(w.until))
    throw ProfileError(
        {}, fmt::format("--waive {}: expected a date like 2027-01-31 after the colon", value));
  w.why = "waived on the command line (--waive)";
  return w;
}

}  // namespace bbcheck
