// Lines for a terminal of a given width: the text report wraps its long
// messages and fixes under a hanging indent, and cuts the lines that must
// stay one line (a group's facts). Text here is valid UTF-8 on one line
// (safeLine); a column is one code point. Everything is linear in the text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bbcheck {

// The columns `text` takes: its code points.
size_t displayWidth(std::string_view text);

// `text` in lines of at most `width` columns, the first `firstUsed` columns
// of the first line already taken (by a label printed before it). Breaks at
// spaces; a word longer than a line is cut between code points. `width` 0
// means no wrapping: one line.
std::vector<std::string> wrapText(std::string_view text, size_t width, size_t firstUsed = 0);

// `text` cut to `width` columns, ending in "…" when it was longer.
std::string fitToWidth(std::string_view text, size_t width);

}  // namespace bbcheck
