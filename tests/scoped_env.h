// Test-only: sets (or unsets) an environment variable for one scope. The
// toolchain probes read $CC, $CXX, $PATH, $PKG_CONFIG_PATH and $TMPDIR.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

namespace bbcheck::testing {

class ScopedEnv {
 public:
  // nullopt unsets the variable.
  ScopedEnv(std::string name, std::optional<std::string> value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    if (value)
      ::setenv(name_.c_str(), value->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_.c_str(), old_->c_str(), 1);
    else
      ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// No proxy variable set, so HTTP goes straight to the loopback server.
struct NoProxy {
  ScopedEnv a{"http_proxy", std::nullopt}, b{"HTTP_PROXY", std::nullopt},
      c{"https_proxy", std::nullopt}, d{"HTTPS_PROXY", std::nullopt}, e{"all_proxy", std::nullopt},
      f{"ALL_PROXY", std::nullopt};
};

}  // namespace bbcheck::testing
