#include "probes/probe.h"

#include <algorithm>

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

Milliseconds ProbeContext::remaining() const {
  auto left = std::chrono::duration_cast<Milliseconds>(deadline - Clock::now());
  return std::max(left, Milliseconds(0));
}

}  // namespace bbcheck
