// Typed probe parameters. A probe kind declares each parameter once: its
// name, type and help, a range or choices where it has them, and the member
// of the kind's own parameter struct it fills. The member's initialiser is
// the default:
//
//   struct CpuParams {
//     int64_t min = 1;
//   };
//   Outcome runCpu(const CpuParams& params, const ProbeContext& ctx);
//
//   ProbeKind cpuProbe() {
//     return probeKind("cpu", "number of CPUs ...",
//                      {intParam("min", &CpuParams::min, "fewest CPUs that pass").atLeast(0)},
//                      runCpu);
//   }
//
// What the profile layer validates with and `bbcheck probes` prints (the
// ParamSpecs, a default's text included) is derived from that declaration.
// The run function gets the struct, filled from the check's Params once,
// before it runs. It reads members, never names: a parameter it did not
// declare does not compile (so the struct holds parameters only, each one
// declared), and a check with a parameter the kind does not declare is
// refused before the probe runs.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "probes/probe.h"

namespace bbcheck {

// The parameter struct of a kind that takes none.
struct NoParams {};

// A default as written in YAML, from the member's initial value: "1s" for a
// duration of 1000 ms, "[a, b]" for a list; "" (no default) for an empty
// string or list and an unset optional.
std::string defaultText(ParamType type, const std::string& value);
std::string defaultText(ParamType type, int64_t value);
std::string defaultText(ParamType type, const std::optional<int64_t>& value);
std::string defaultText(ParamType type, bool value);
std::string defaultText(ParamType type, const std::vector<std::string>& value);
std::string defaultText(ParamType type, const std::vector<int64_t>& value);

// Throws std::invalid_argument "probe KIND: parameter 'PARAM' WHY": for a
// declaration the binding cannot work with, or values it does not allow
// (the engine reports those as the check's error; profiles are validated
// before, so they are an engine or test bug, not a volunteer's mistake).
[[noreturn]] void throwParamError(const std::string& kind, const std::string& param,
                                  const std::string& why);

// One declared parameter of a kind whose parameters are a struct P.
template <class P>
class Param {
 public:
  using Assign = std::function<void(P&, const ParamValue&)>;
  using Text = std::function<std::string(const P&)>;

  Param(ParamSpec spec, Assign assign, Text text, size_t offset)
      : spec_(std::move(spec)),
        assign_(std::move(assign)),
        text_(std::move(text)),
        offset_(offset) {}

  // The profile must give it; the member's initial value must be empty.
  Param required() && {
    spec_.required = true;
    return std::move(*this);
  }
  // The range of an Int or IntList (inclusive).
  Param atLeast(int64_t min) && {
    spec_.min = min;
    return std::move(*this);
  }
  Param between(int64_t min, int64_t max) && {
    spec_.min = min;
    spec_.max = max;
    return std::move(*this);
  }
  // The values a String or StringList may take.
  Param oneOf(std::vector<std::string> choices) && {
    spec_.choices = std::move(choices);
    return std::move(*this);
  }

  const ParamSpec& spec() const { return spec_; }
  void assign(P& params, const ParamValue& value) const { assign_(params, value); }
  std::string defaultText(const P& params) const { return text_(params); }
  size_t offset() const { return offset_; }  // of the member in P, to find one bound twice

 private:
  ParamSpec spec_;
  Assign assign_;
  Text text_;
  size_t offset_;
};

namespace param_detail {

// What a member of type M holds as a ParamValue (an optional: its value).
template <class M>
struct Held {
  using type = M;
};
template <class T>
struct Held<std::optional<T>> {
  using type = T;
};

template <class P, class M>
size_t offsetOf(M P::*member) {
  static const P sample{};
  return static_cast<size_t>(reinterpret_cast<const char*>(&(sample.*member)) -
                             reinterpret_cast<const char*>(&sample));
}

template <class P, class M>
Param<P> bound(std::string name, ParamType type, M P::*member, std::string help) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.help = std::move(help);
  auto assign = [member](P& params, const ParamValue& value) {
    params.*member = std::get<typename Held<M>::type>(value);
  };
  auto text = [member, type](const P& params) { return defaultText(type, params.*member); };
  return Param<P>(std::move(spec), assign, text, offsetOf(member));
}

// Int, Size and Duration all arrive as int64_t (a number, bytes, ms).
template <class P, class M>
Param<P> integer(std::string name, ParamType type, M P::*member, std::string help) {
  static_assert(std::is_same_v<typename Held<M>::type, int64_t>,
                "an Int, Size or Duration parameter fills an int64_t or std::optional<int64_t>");
  return bound(std::move(name), type, member, std::move(help));
}

}  // namespace param_detail

// One factory per ParamType; each takes the member type that type converts
// to. Int, Size and Duration members may be std::optional: unset means the
// profile did not give one and there is no default.
template <class P>
Param<P> stringParam(std::string name, std::string P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::String, member, std::move(help));
}
template <class P>
Param<P> pathParam(std::string name, std::string P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::Path, member, std::move(help));
}
template <class P>
Param<P> regexParam(std::string name, std::string P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::Regex, member, std::move(help));
}
template <class P, class M>
Param<P> intParam(std::string name, M P::*member, std::string help) {
  return param_detail::integer(std::move(name), ParamType::Int, member, std::move(help));
}
template <class P, class M>
Param<P> sizeParam(std::string name, M P::*member, std::string help) {  // bytes
  return param_detail::integer(std::move(name), ParamType::Size, member, std::move(help));
}
template <class P, class M>
Param<P> durationParam(std::string name, M P::*member, std::string help) {  // milliseconds
  return param_detail::integer(std::move(name), ParamType::Duration, member, std::move(help));
}
template <class P>
Param<P> boolParam(std::string name, bool P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::Bool, member, std::move(help));
}
template <class P>
Param<P> stringListParam(std::string name, std::vector<std::string> P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::StringList, member, std::move(help));
}
template <class P>
Param<P> intListParam(std::string name, std::vector<int64_t> P::*member, std::string help) {
  return param_detail::bound(std::move(name), ParamType::IntList, member, std::move(help));
}

// The declared parameters of one kind: their specs, and the binding of a
// check's Params to the struct.
template <class P>
class ParamList {
 public:
  ParamList(std::string kind, std::vector<Param<P>> params)
      : kind_(std::move(kind)), params_(std::move(params)) {
    for (size_t i = 0; i < params_.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (params_[i].spec().name == params_[j].spec().name)
          throwParamError(kind_, params_[i].spec().name, "is declared twice");
        if (params_[i].offset() == params_[j].offset())
          throwParamError(kind_, params_[i].spec().name,
                          "fills the member '" + params_[j].spec().name + "' fills too");
      }
    }
  }

  // The specs, each default's text taken from the struct's initial value.
  std::vector<ParamSpec> specs() const {
    const P defaults{};
    std::vector<ParamSpec> out;
    for (const auto& param : params_) {
      out.push_back(param.spec());
      out.back().default_value = param.defaultText(defaults);
    }
    return out;
  }

  // The struct for one run: each given value in its member, the others at
  // their defaults. A missing required value or one the kind does not
  // declare throws (the profile layer never lets either through).
  P bind(const Params& values) const {
    P out{};
    size_t used = 0;
    for (const auto& param : params_) {
      auto it = values.all().find(param.spec().name);
      if (it == values.all().end()) {
        if (param.spec().required) throwParamError(kind_, param.spec().name, "is required");
        continue;
      }
      try {
        param.assign(out, it->second);
      } catch (const std::bad_variant_access&) {
        throwParamError(kind_, param.spec().name, "has a value of another type");
      }
      ++used;
    }
    if (used != values.all().size()) throwUndeclared(values);
    return out;
  }

 private:
  [[noreturn]] void throwUndeclared(const Params& values) const {
    for (const auto& [name, value] : values.all()) {
      bool declared = false;
      for (const auto& param : params_) declared = declared || param.spec().name == name;
      if (!declared) throwParamError(kind_, name, "is not one of its parameters");
    }
    // Not reached: names are unique on both sides, so a count apart is a stranger.
    throwParamError(kind_, "", "is not one of its parameters");
  }

  std::string kind_;
  std::vector<Param<P>> params_;
};

// A probe kind from its typed declaration and a run function that carries
// state of its own (e.g. a reader another probe family provides, wired in by
// probes/builtin).
template <class P>
ProbeKind probeKind(std::string name, std::string summary, std::vector<Param<P>> params,
                    std::function<Outcome(const P&, const ProbeContext&)> run) {
  auto list = std::make_shared<const ParamList<P>>(name, std::move(params));
  ProbeKind kind;
  kind.name = std::move(name);
  kind.summary = std::move(summary);
  kind.params = list->specs();
  kind.run = [list, run](const Params& values, const ProbeContext& context) {
    return run(list->bind(values), context);
  };
  return kind;
}

// A probe kind from its typed declaration and run function.
template <class P>
ProbeKind probeKind(std::string name, std::string summary, std::vector<Param<P>> params,
                    Outcome (*run)(const P&, const ProbeContext&)) {
  return probeKind<P>(std::move(name), std::move(summary), std::move(params),
                      std::function<Outcome(const P&, const ProbeContext&)>(run));
}

// The same, for a kind that also describes the environment the worker's
// service starts in: `read` reads it from the same parameters.
template <class P>
ProbeKind probeKind(std::string name, std::string summary, std::vector<Param<P>> params,
                    Outcome (*run)(const P&, const ProbeContext&),
                    std::shared_ptr<const ServiceEnvironment> (*read)(const P&,
                                                                      Clock::time_point deadline)) {
  auto list = std::make_shared<const ParamList<P>>(name, params);
  ProbeKind kind = probeKind(std::move(name), std::move(summary), std::move(params), run);
  kind.read_service_environment = [list, read](const Params& values, Clock::time_point deadline) {
    return read(list->bind(values), deadline);
  };
  return kind;
}

}  // namespace bbcheck
