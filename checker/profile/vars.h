// ${name} and ${env:NAME} substitution in profile strings ($${ is a literal
// "${"; ${name:-text} and ${env:NAME:-text} give `text`, as written, when
// the value is empty or unset), with every var's value expanded once, and
// sizes bounded: a 662-byte profile of vars that each double the one before,
// or one large environment variable referenced many times, is a positioned
// error, not gigabytes.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "checker/profile/profile.h"

namespace bbcheck {

// Limits of expansion: one expanded string, and all of one profile's.
constexpr size_t kMaxExpandedValue = size_t{1} << 20;  // 1 MiB
constexpr size_t kMaxTotalExpansion = size_t{64} << 20;

class VarExpander {
 public:
  struct Var {
    std::string value;  // as written: may refer to other vars and the environment
    SourcePos pos;      // where the var is declared (errors in its value point here)
  };
  explicit VarExpander(std::map<std::string, Var> vars) : vars_(std::move(vars)) {}

  // Called for an unset ${env:NAME} instead of throwing; the reference then
  // expands to "". `bbcheck validate` uses it, so that linting a profile does
  // not depend on the caller's environment.
  using UnsetEnvHandler = std::function<void(const SourcePos& pos, const std::string& name)>;
  void onUnsetEnv(UnsetEnvHandler handler) { unset_env_ = std::move(handler); }

  // `text` with every reference replaced. An unknown var, an unset
  // environment variable, an unterminated "${", a cycle or a result over the
  // limits throws a ProfileError at `pos`.
  std::string expand(const std::string& text, const SourcePos& pos);

  // The same, for the many fields that hold no reference: `where()` makes
  // the position only when there is work that could fail.
  template <typename Where>
  std::string expandAt(const std::string& text, const Where& where) {
    if (text.find("${") == std::string::npos && text.size() <= kMaxExpandedValue) return text;
    return expand(text, where());
  }

  // The final value of every declared var.
  std::map<std::string, std::string> allValues();

 private:
  const std::string& valueOf(const std::string& name, const SourcePos& usedAt);
  void account(size_t bytes, const SourcePos& pos);

  std::map<std::string, Var> vars_;
  std::map<std::string, std::string> done_;  // expanded values, each computed once
  std::set<std::string> expanding_;          // on the current chain: a repeat is a cycle
  size_t total_ = 0;
  UnsetEnvHandler unset_env_;
};

// "~" or "~/..." at the start becomes the running user's home directory.
std::string expandHome(const std::string& path);

}  // namespace bbcheck
