// The contract between the engine and the probes: what a probe kind declares
// (its parameters) and what one run of it returns (an Outcome). A probe reads
// the machine; it knows nothing of YAML files, reports or other probes.
#pragma once

#include <Poco/Dynamic/Struct.h>
#include <Poco/Dynamic/Var.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace bbcheck {

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::milliseconds;

// Structured observed/expected values: scalars, Poco::DynamicStruct for
// objects, std::vector<Poco::Dynamic::Var> for arrays.
using Value = Poco::Dynamic::Var;
using Object = Poco::DynamicStruct;
using Array = std::vector<Poco::Dynamic::Var>;

inline Object objectOf(std::map<std::string, Value> fields) {
  return Object(fields);
}
inline Array arrayOf(const std::vector<std::string>& items) {
  return Array(items.begin(), items.end());
}

enum class ParamType {
  String,
  Path,   // a string in which a leading ~ has been expanded
  Regex,  // a string that compiles as an RE2 regex (probes/regex.h)
  Int,
  Bool,
  Size,        // "512MiB", "30GB", "2.5G" or a plain number: bytes
  Duration,    // "250ms", "3s", "1m": milliseconds
  StringList,  // a YAML sequence of strings (a lone string is a list of one)
  IntList,     // a YAML sequence of integers (a lone integer is a list of one)
};

// One parameter as the profile layer validates it and `bbcheck probes` shows
// it. Derived from a kind's typed declaration (probes/param_binding.h).
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::String;
  bool required = false;
  std::string default_value;         // as written in YAML; empty: no default
  std::vector<std::string> choices;  // allowed values of a String, if listed
  std::string help;
  // Allowed range of an Int or IntList (e.g. ports: 1..65535).
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
};

// Parameter values after the loader validated and converted them.
// Size and Duration are stored as Int (bytes, milliseconds); Path, Regex as
// String. Probes never see them: ProbeKind::run binds them to the kind's
// own struct first (probes/param_binding.h).
using ParamValue =
    std::variant<bool, int64_t, std::string, std::vector<std::string>, std::vector<int64_t>>;

class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, ParamValue> values) : values_(std::move(values)) {}

  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void set(const std::string& name, ParamValue value) { values_[name] = std::move(value); }

  // For the engine and tests. Accessors throw std::out_of_range /
  // std::bad_variant_access when a parameter is missing or of another type.
  const std::string& text(const std::string& name) const;
  int64_t integer(const std::string& name) const;
  bool flag(const std::string& name) const;
  const std::vector<std::string>& list(const std::string& name) const;
  const std::vector<int64_t>& integers(const std::string& name) const;

  const std::map<std::string, ParamValue>& all() const { return values_; }

 private:
  std::map<std::string, ParamValue> values_;
};

// How one probe run ended. `blocked` is the engine's, never a probe's.
// Waived is never a probe's: the run gives it to a check that did not pass
// when a waiver (checker/run/waivers.h) accepts that on purpose.
enum class Status { Pass, Fail, Error, Blocked, Skip, Waived };

const char* statusName(Status status);

struct Outcome {
  Status status = Status::Error;
  std::string message;  // one line: observed vs expected, or why undecided
  Value observed;       // e.g. Object{{"bytes", 536870912}}
  Value expected;       // e.g. Object{{"min_bytes", 536870912}}
  // A fix fitted to what the probe saw on this host, for when the check's
  // own (the profile's) would be wrong here: it replaces it in the reports.
  // E.g. the worker's user exists: run as it, rather than create one.
  std::string fix{};

  static Outcome pass(std::string message, Value observed = {}, Value expected = {});
  static Outcome fail(std::string message, Value observed = {}, Value expected = {});
  static Outcome error(std::string message, Value observed = {});
  static Outcome skip(std::string message);
};

// The local programs one check runs (compilers, the linker, `--version`),
// as the check's probe and the engine both see them. A busy host is not an
// unfit host (DESIGN.md): such programs are judged by the CPU time they got
// against the check's timeout, and may run past the check's own deadline
// up to the run's (probes/program_limit.h). The probe counts here what its
// programs used and whether one runs now; the engine reads it before it
// gives up on a check that is past its deadline.
class LocalWork {
 public:
  // While one exists, the check is waiting on local work (a program of its
  // own, or another check's answer it shares).
  class Busy {
   public:
    explicit Busy(std::shared_ptr<LocalWork> work);
    ~Busy();
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;

   private:
    std::shared_ptr<LocalWork> work_;
  };

  // CPU time charged to the check by its programs that ended.
  Milliseconds used() const { return Milliseconds(used_ms_.load()); }
  void charge(Milliseconds cpu) { used_ms_ += cpu.count(); }
  // Whether the check waits on local work now or did so within `grace`.
  bool busyWithin(Clock::time_point now, Milliseconds grace) const;

 private:
  std::atomic<int64_t> used_ms_{0};
  std::atomic<int> busy_{0};
  std::atomic<Clock::rep> last_busy_{0};  // Clock ticks since its epoch, when a Busy ended
};

// What the engine hands a probe besides its parameters.
struct ProbeContext {
  Milliseconds timeout{3000};  // this check's own timeout
  Clock::time_point deadline;  // start + timeout: never block past it, but see below
  // Local programs run through probes/program_limit.h may go on past
  // `deadline` while the CPU they got is within `timeout`, up to this (the
  // run's deadline). Left at its default (the clock's epoch), there is no
  // such allowance: `deadline` is the end.
  Clock::time_point run_deadline{};
  std::shared_ptr<LocalWork> work{};  // null: none is kept (tests, host facts)

  Milliseconds remaining() const;  // zero or more
};

// The engine's entry to a probe kind: the check's Params, bound to the
// kind's own parameter struct, then its run (probes/param_binding.h).
using ProbeFunction = std::function<Outcome(const Params&, const ProbeContext&)>;

struct ServiceEnvironment;  // probes/service_environment.h

// How a kind that describes the environment the worker's service starts in
// reads it from a check's parameters; the engine re-runs the checks tagged
// `service-env` inside it (checker/run/service_rerun.h).
using ServiceEnvironmentReader = std::function<std::shared_ptr<const ServiceEnvironment>(
    const Params&, Clock::time_point deadline)>;

// One kind, as the registry lists it (probes/registry.h). Made by
// probeKind() from a typed declaration (probes/param_binding.h).
struct ProbeKind {
  std::string name;               // as written after `probe:` in a profile
  std::string summary;            // one line for `bbcheck probes`
  std::vector<ParamSpec> params;  // derived from the declaration
  ProbeFunction run;
  ServiceEnvironmentReader read_service_environment{};  // empty for most kinds
};

}  // namespace bbcheck
