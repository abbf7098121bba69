// Durations ("250ms", "3s", "1m") and sizes ("512MiB", "30GB", "2.5G") as
// written in profiles and on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bbcheck {

// Milliseconds, or nothing when the text is not a duration with a unit.
std::optional<int64_t> parseDuration(const std::string& text);

// Bytes. A bare number is bytes; K/M/G/T alone and KiB/MiB/... are powers
// of 1024 (as regrtest's -M and df -h read them); KB/MB/GB/TB powers of 1000.
std::optional<int64_t> parseSize(const std::string& text);

}  // namespace bbcheck
