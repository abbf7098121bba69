#include "probes/probe.h"

#include <algorithm>
#include <utility>

namespace bbcheck {

const std::string& Params::text(const std::string& name) const {
  return std::get<std::string>(values_.at(name));
}

int64_t Params::integer(const std::string& name) const {
  return std::get<int64_t>(values_.at(name));
}

bool Params::flag(const std::string& name) const {
  return std::get<bool>(values_.at(name));
}

const std::vector<std::string>& Params::list(const std::string& name) const {
  return std::get<std::vector<std::string>>(values_.at(name));
}

const std::vector<int64_t>& Params::integers(const std::string& name) const {
  return std::get<std::vector<int64_t>>(values_.at(name));
}

const char* statusName(Status status) {
  switch (status) {
    case Status::Pass:
      return "pass";
    case Status::Fail:
      return "fail";
    case Status::Error:
      return "error";
    case Status::Blocked:
      return "blocked";
    case Status::Skip:
      return "skip";
    case Status::Waived:
      return "waived";
  }
  return "error";
}

Outcome Outcome::pass(std::string message, Value observed, Value expected) {
  return {Status::Pass, std::move(message), std::move(observed), std::move(expected)};
}

Outcome Outcome::fail(std::string message, Value observed, Value expected) {
  return {Status::Fail, std::move(message), std::move(observed), std::move(expected)};
}

Outcome Outcome::error(std::string message, Value observed) {
  return {Status::Error, std::move(message), std::move(observed), {}};
}

Outcome Outcome::skip(std::string message) {
  return {Status::Skip, std::move(message), {}, {}};
}

LocalWork::Busy::Busy(std::shared_ptr<LocalWork> work) : work_(std::move(work)) {
  if (work_) ++work_->busy_;
}

LocalWork::Busy::~Busy() {
  if (!work_) return;
  work_->last_busy_ = Clock::now().time_since_epoch().count();
  --work_->busy_;
}

bool LocalWork::busyWithin(Clock::time_point now, Milliseconds grace) const {
  if (busy_.load() > 0) return true;
  Clock::time_point last{Clock::duration(last_busy_.load())};
  return last_busy_.load() != 0 && now - last < grace;
}

Milliseconds ProbeContext::remaining() const {
  auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now());
  return std::max(left, Milliseconds(0));
}

}  // namespace bbcheck
