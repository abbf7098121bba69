// The Python-literal reader behind buildbot.tac parsing: string literals (with
// escapes and prefixes), int literals, None/True/False, and triple-quote tracking.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bbcheck {

// One top-level assignment's right-hand side.
struct TacValue {
  enum class Kind {
    None,        // None
    String,      // a string literal (adjacent literals concatenated)
    Int,         // an integer literal (True/False are Bool)
    Bool,        // True / False
    Expression,  // anything else: a call, a name, arithmetic; not evaluated
  };
  Kind kind = Kind::None;
  std::string text;    // String: the decoded value; never set for passwd
  int64_t number = 0;  // Int and Bool (0 / 1)
  int line = 0;        // 1-based line of the (last) assignment
};

// Reads `rhs` as a single literal (a trailing comment is allowed); nullopt for
// anything else, which the caller treats as an unevaluated expression.
std::optional<TacValue> parsePythonLiteral(const std::string& rhs);

// Python integer literal: 600, 0o22, 0x1F, 0b1, 1_000, optionally negative.
// Also reads the port of a Twisted endpoint string.
bool parseIntLiteral(const std::string& s, int64_t* value);

// Scans a line for the start of a triple-quoted string that does not end on
// it (ignoring strings that do and comments). Returns the open delimiter or
// "" when none is left open. `open` is the delimiter carried in from earlier
// lines ("" when none).
std::string tripleQuoteState(const std::string& line, std::string open);

}  // namespace bbcheck
