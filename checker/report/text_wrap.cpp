// Wrapping for the text report (see text_wrap.h).
#include "checker/report/text_wrap.h"

namespace bbcheck {
namespace {

bool continuesCodePoint(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The byte offset just past the first `columns` code points of `text`.
size_t bytesOfColumns(std::string_view text, size_t columns) {
  size_t at = 0;
  for (size_t seen = 0; at < text.size(); ++at) {
    if (continuesCodePoint(text[at])) continue;
    if (seen == columns) break;
    ++seen;
  }
  return at;
}

}  // namespace

size_t displayWidth(std::string_view text) {
  size_t width = 0;
  for (char byte : text) width += continuesCodePoint(byte) ? 0 : 1;
  return width;
}

std::vector<std::string> wrapText(std::string_view text, size_t width, size_t firstUsed) {
  std::vector<std::string> lines(1);
  if (width == 0) {
    lines[0] = std::string(text);
    return lines;
  }
  size_t used = firstUsed;  // columns taken on the current line
  auto room = [&] { return used < width ? width - used : 0; };
  auto newLine = [&] {
    lines.emplace_back();
    used = 0;
  };
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(at, end - at);
    at = end + 1;
    if (word.empty()) continue;  // runs of spaces collapse
    size_t wordWidth = displayWidth(word);
    size_t gap = lines.back().empty() ? 0 : 1;
    if (gap + wordWidth > room() && !lines.back().empty()) {
      newLine();
      gap = 0;
    }
    // A word wider than a whole line is cut where the line ends.
    while (wordWidth > room() && room() > 0) {
      size_t columns = room();
      size_t cut = bytesOfColumns(word, columns);
      lines.back() += word.substr(0, cut);
      word.remove_prefix(cut);
      wordWidth -= columns;
      newLine();
    }
    if (room() == 0 && !lines.back().empty()) newLine();
    if (gap) lines.back() += ' ';
    lines.back() += word;
    used += gap + wordWidth;
  }
  return lines;
}

std::string fitToWidth(std::string_view text, size_t width) {
  if (width == 0 || displayWidth(text) <= width) return std::string(text);
  return std::string(text.substr(0, bytesOfColumns(text, width - 1))) + "…";
}

}  // namespace bbcheck
