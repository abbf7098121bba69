// Text read from the host (info files, program output, servers' replies) and
// from profiles may hold any bytes. Before it reaches a report it passes
// through here: what comes out is valid UTF-8 with no control character a
// terminal or an XML parser would act on.
#pragma once

#include <string>
#include <string_view>

#include "probes/probe.h"

namespace bbcheck {

// `text` as valid UTF-8 without control characters: a byte that is not part
// of valid UTF-8 becomes the four characters "\xNN", a C0 control (except
// newline and tab), DEL or a C1 control becomes "\xNN" / "\u0085", and the
// non-characters U+FFFE/U+FFFF become "\uFFFE"/"\uFFFF". Clean text is
// returned unchanged.
std::string safeText(std::string_view text);

// The same, on one line: newlines and tabs are escaped too ("\n", "\t").
std::string safeLine(std::string_view text);

// A Var tree with every string (and object key) passed through safeText.
Value safeValue(const Value& value);

}  // namespace bbcheck
