// Reading one YAML document with yaml-cpp's parser into a YamlNode tree,
// refusing what a profile must not hold: a second document, bytes that are
// not UTF-8 text, nesting deeper than a profile needs, and aliases that
// stand for more nodes than any profile writes (the "billion laughs").
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "checker/profile/yaml_node.h"

namespace bbcheck {

// Why a text is not one YAML document; line and column 0-based.
class YamlSyntaxError : public std::runtime_error {
 public:
  YamlSyntaxError(size_t line, size_t column, const std::string& what)
      : std::runtime_error(what), line_(line), column_(column) {}
  size_t line() const { return line_; }
  size_t column() const { return column_; }

 private:
  size_t line_, column_;
};

// A second document in the stream (after `---` or `...`); the position is
// where its first node starts.
class YamlSecondDocument : public YamlSyntaxError {
 public:
  using YamlSyntaxError::YamlSyntaxError;
};

// Lists and mappings nest at most this deep: below yaml-cpp's own guard
// (its parser recurses once per level and stops at 500), so that the
// message is ours and points at the list or mapping one level too deep.
constexpr size_t kMaxYamlDepth = 400;

// Aliases (*name) may stand for this many nodes in all, each counting the
// whole node it names. A node is shared, never copied, but whoever reads the
// tree visits it once per alias: ten nested lists of ten aliases each are
// ten billion visits in a few hundred bytes.
constexpr size_t kMaxAliasNodes = 1000000;

// The single document `text` holds: undefined when it holds none. Bad
// syntax, a byte that is not UTF-8 or a control character, nesting deeper
// than kMaxYamlDepth or aliases over kMaxAliasNodes throw YamlSyntaxError
// naming what is wrong and where; a second document throws
// YamlSecondDocument.
YamlNode readYamlDocument(const std::string& text);

}  // namespace bbcheck
