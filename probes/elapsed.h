// Milliseconds between now and a point on the steady clock, for probes'
// timings and deadlines.
#pragma once

#include <chrono>
#include <cstdint>

namespace bbcheck {

inline int64_t msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

// Negative once the deadline has passed.
inline int64_t msUntil(std::chrono::steady_clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               std::chrono::steady_clock::now())
      .count();
}

}  // namespace bbcheck
