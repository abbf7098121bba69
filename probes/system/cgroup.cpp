#include "probes/system/cgroup.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "probes/human.h"
#include "probes/text.h"

namespace bbcheck {
namespace {

// A whole decimal integer, or std::invalid_argument naming the text.
int64_t integerOf(const std::string& text) {
  size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw std::invalid_argument(fmt::format("'{}' is not a number", text));
  return value;
}

// v1 writes "no limit" as the page counter's maximum rounded to a page
// (9223372036854771712 on 4 KiB pages): anything this large is no limit.
constexpr double kUnlimitedBytes = 4.0e18;

}  // namespace

std::optional<double> parseMemoryLimit(const std::string& text) {
  std::string value = trimmed(text);
  if (value == "max" || value == "-1") return std::nullopt;
  double bytes = static_cast<double>(integerOf(value));
  if (bytes < 0 || bytes >= kUnlimitedBytes) return std::nullopt;
  return bytes;
}

std::optional<double> parseCpuMax(const std::string& text) {
  std::string value = trimmed(text);
  size_t space = value.find(' ');
  std::string quota = value.substr(0, space);
  std::string period = space == std::string::npos ? "100000" : trimmed(value.substr(space + 1));
  if (quota == "max") return std::nullopt;
  return parseCfsQuota(quota, period);
}

std::optional<double> parseCfsQuota(const std::string& quota, const std::string& period) {
  int64_t q = integerOf(trimmed(quota));
  int64_t p = integerOf(trimmed(period));
  if (q < 0) return std::nullopt;  // -1: no quota
  if (p <= 0) throw std::invalid_argument(fmt::format("period '{}' is not positive", period));
  return static_cast<double>(q) / static_cast<double>(p);
}

std::string describeLimit(const CgroupLimit& limit) {
  if (!limit.limited) return "";
  return fmt::format("cgroup {} = {} in {}", limit.file, limit.raw, limit.group);
}

EffectiveFigure effectiveMemory(int64_t hostBytes, const CgroupLimits& limits) {
  EffectiveFigure figure;
  figure.host = static_cast<double>(hostBytes);
  figure.effective = figure.host;
  if (limits.memory.limited && limits.memory.value < figure.host) {
    figure.effective = limits.memory.value;
    figure.limited_by = describeLimit(limits.memory);
  }
  return figure;
}

EffectiveFigure effectiveCpus(int hostCpus, const CgroupLimits& limits) {
  EffectiveFigure figure;
  figure.host = hostCpus;
  figure.effective = hostCpus;
  if (limits.cpu.limited && limits.cpu.value < figure.host) {
    figure.effective = limits.cpu.value;
    figure.limited_by = describeLimit(limits.cpu);
  }
  return figure;
}

void addObserved(Object& observed, const EffectiveFigure& figure, const CgroupLimits& limits) {
  if (!figure.limited_by.empty()) observed["limited_by"] = figure.limited_by;
  if (!limits.problems.empty())
    observed["cgroup_problems"] = Array(limits.problems.begin(), limits.problems.end());
}

}  // namespace bbcheck
