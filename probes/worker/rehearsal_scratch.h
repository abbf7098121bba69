// The directory the rehearsal's acts create in the build area, and its
// removal whatever happens.
#pragma once

#include <string>

#include "probes/probe.h"
#include "probes/service_environment.h"

namespace bbcheck::rehearsal {

// A directory the acts create in the build area, removed afterwards
// whatever happened: first as the worker's user (rm -rf in its session),
// then, should that not finish, by bbcheck, without following links.
class AreaScratch {
 public:
  AreaScratch(const ServiceEnvironment& env, const std::string& area, Clock::time_point deadline);
  ~AreaScratch();
  AreaScratch(const AreaScratch&) = delete;
  AreaScratch& operator=(const AreaScratch&) = delete;
  const std::string& name() const { return name_; }  // relative to the build area
  // The deadline the acts get: the check's, less the time the removal needs.
  Clock::time_point actsDeadline() const { return acts_deadline_; }

 private:
  const ServiceEnvironment& env_;
  std::string path_;
  std::string name_;
  Clock::time_point deadline_;
  Clock::time_point acts_deadline_;
};

}  // namespace bbcheck::rehearsal
