// The Prometheus text exposition format's escaping rules, apart from the
// report so they are tested on their own.
#pragma once

#include <string>

namespace bbcheck {

// A label value as it goes between the quotes: backslash, double quote and
// line feed escaped (\\ \" \n). Bytes that are not valid UTF-8 become the
// text \xNN, and other control characters the text \u00NN, so the file stays
// valid UTF-8 on a single line whatever the host put in a name.
std::string escapeLabelValue(const std::string& value);

// A HELP text: backslash and line feed escaped (quotes are left alone there).
std::string escapeHelp(const std::string& text);

}  // namespace bbcheck
