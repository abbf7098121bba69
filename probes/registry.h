// The probe kinds a run may use, by name. Built explicitly from a list (the
// built-in one is probes/builtin/builtin_probes.h; a test makes its own),
// and checked when built: two kinds of one name, or a declaration the
// profile layer could not work with, are refused there, at start-up.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

class Registry {
 public:
  // Throws std::invalid_argument naming the first problem.
  explicit Registry(std::vector<ProbeKind> kinds);

  // The same kinds stay at the same addresses: checks point at them.
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // nullptr when no kind has that name.
  const ProbeKind* find(const std::string& name) const;

  // Every kind, sorted by name.
  const std::vector<ProbeKind>& all() const { return kinds_; }

  // "cpu, disk, ...": for a message naming the kinds there are.
  std::string names() const;

 private:
  std::vector<ProbeKind> kinds_;
  std::map<std::string, const ProbeKind*> byName_;
};

// What a probe kind, or a reading it needs, says on a platform it has no
// implementation for yet (the `_generic.cpp` files).
inline constexpr const char* kNotSupportedHere = "not supported on this platform yet";

// A kind that says "not supported on this platform yet" and skips: the same
// name, summary and parameters as `kind`, so that profiles still validate.
// The built-in list puts it in place of a kind that has no implementation
// for the platform built for.
ProbeKind notSupportedHere(ProbeKind kind);

}  // namespace bbcheck
