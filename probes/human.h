// Human-readable sizes and paths for probe messages. Messages show both what
// a person reads ("12.3 GiB") and, in observed/expected, the exact numbers.
#pragma once

#include <cstdint>
#include <string>

namespace bbcheck {

// An observed amount in binary units with one decimal: "12.3 GiB", "512 B".
std::string humanBytes(int64_t bytes);

// A configured limit, written as a person would have written it: "30 GB"
// when it is a round number of decimal or binary units (30000000000 ->
// "30 GB", 536870912 -> "512 MiB", 2500000000 -> "2.5 GB"), else humanBytes.
std::string humanLimit(int64_t bytes);

// `path` with a leading $HOME shown as "~", as profiles write it.
std::string tildePath(const std::string& path);

// "1 CPU", "2 CPUs", "0.5 CPU", "1.5 CPUs" (a cgroup quota may be fractional).
std::string cpusText(double cpus);

}  // namespace bbcheck
