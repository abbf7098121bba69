#include "probes/environment/locale.h"

#include <fmt/format.h>
#include <langinfo.h>
#include <locale.h>

#include <cerrno>
#include <cstdlib>

#include "probes/net_errors.h"
#include "probes/param_binding.h"

namespace bbcheck {
namespace {

// The first non-empty of the variables that decide LC_CTYPE, in POSIX's
// order of precedence.
void pickVariable(LocaleReading& reading) {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      reading.variable = name;
      reading.requested = value;
      return;
    }
  }
}

}  // namespace

bool isUtf8Codeset(const std::string& codeset) {
  std::string squeezed;
  for (char c : codeset)
    if (c != '-' && c != '_') squeezed += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return squeezed == "UTF8";
}

LocaleReading readEnvironmentLocale() {
  LocaleReading reading;
  pickVariable(reading);
  // Unset (or C/POSIX): Python 3.7+ coerces the C locale to C.UTF-8
  // (PEP 538), so that is the locale the tests run in.
  bool coerced =
      reading.variable.empty() || reading.requested == "C" || reading.requested == "POSIX";
  std::string name = coerced ? "C.UTF-8" : "";  // "": from the environment
  if (coerced && reading.variable.empty()) reading.requested = "C.UTF-8";
  errno = 0;
  locale_t loc = ::newlocale(LC_ALL_MASK, name.c_str(), static_cast<locale_t>(0));
  if (loc == static_cast<locale_t>(0)) {
    int err = errno;
    reading.error =
        fmt::format("the C library cannot load locale {}{}", coerced ? name : reading.requested,
                    err != 0 ? " (" + errnoText(err) + ")" : "");
    return reading;
  }
  reading.loaded = true;
  const char* codeset = ::nl_langinfo_l(CODESET, loc);
  reading.codeset = codeset != nullptr ? codeset : "";
  ::freelocale(loc);
  return reading;
}

namespace {

Outcome runLocale(const NoParams&, const ProbeContext&) {
  LocaleReading r = readEnvironmentLocale();
  Object observed;
  observed["variable"] = r.variable;
  observed["locale"] = r.requested;
  observed["loaded"] = r.loaded;
  observed["codeset"] = r.codeset;
  Object expected;
  expected["codeset"] = "UTF-8";
  std::string from = r.variable.empty()
                         ? "no LANG, LC_ALL or LC_CTYPE set: C.UTF-8, as Python coerces it"
                         : fmt::format("{}={}", r.variable, r.requested);
  if (!r.loaded)
    return Outcome::fail(
        fmt::format("{}: {}; programs fall back to the C locale (ASCII)", from, r.error), observed,
        expected);
  if (!isUtf8Codeset(r.codeset))
    return Outcome::fail(fmt::format("{}: character set {}, not UTF-8", from, r.codeset), observed,
                         expected);
  return Outcome::pass(fmt::format("{}: character set {}", from, r.codeset), observed, expected);
}

}  // namespace

ProbeKind localeProbe() {
  return probeKind(
      "locale",
      "the locale from this process's LC_ALL/LC_CTYPE/LANG (C.UTF-8 when unset) loads and is "
      "UTF-8",
      {}, runLocale);
}

}  // namespace bbcheck
