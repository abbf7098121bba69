// The Prometheus text exposition format's escaping rules, apart from the
// report so they are tested on their own.
#pragma once

#include <string>

namespace bbcheck {

// A label value as it goes between the quotes: backslash, double quote and
// line feed escaped (\\ \" \n), after safeText (checker/safe_text.h): bytes
// that are not valid UTF-8 and control characters become the text \xNN, so the
// file stays valid UTF-8, one sample a line, whatever the host put in a name.
std::string escapeLabelValue(const std::string& value);

// A HELP text: backslash and line feed escaped (quotes are left alone there).
std::string escapeHelp(const std::string& text);

}  // namespace bbcheck
