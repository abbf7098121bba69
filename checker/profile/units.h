// Durations ("250ms", "3s", "1m") and sizes ("512MiB", "30GB", "2.5G") as
// written in profiles and on the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bbcheck {

// Why a text was not a duration or size: it is not written like one, or it
// is but its value does not fit (99999999999999999999 bytes, 10^400 s).
enum class UnitError { Syntax, OutOfRange };

// Milliseconds (at most 10^12: about 31 years), or nothing when the text is
// not a duration with a unit or is too large; `why` says which.
std::optional<int64_t> parseDuration(const std::string& text, UnitError* why = nullptr);

// Bytes. A bare number is bytes; K/M/G/T alone and KiB/MiB/... are powers
// of 1024 (as regrtest's -M and df -h read them); KB/MB/GB/TB powers of 1000.
// At most 9*10^18 (what an int64 holds), else nothing with OutOfRange.
std::optional<int64_t> parseSize(const std::string& text, UnitError* why = nullptr);

}  // namespace bbcheck
