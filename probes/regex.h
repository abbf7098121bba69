// Regular expressions for every pattern that meets host or profile text
// (a program's --version output, a file's contents, a profile's pattern):
// RE2, which runs in time linear in the input, never recurses on it and
// bounds its own memory, so a 40 KB line or a pattern of 20,000 nested
// groups is an answer or an error, never a crashed stack. Syntax is RE2's
// (Perl-like: \d \w \s (?:...) (?i)); no backreferences or lookaround.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace bbcheck {

class Regex {
 public:
  // `multiline`: ^ and $ also match at line breaks.
  explicit Regex(const std::string& pattern, bool multiline = false);
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  bool ok() const { return error_.empty(); }
  // Why the pattern does not compile ("missing ): ..."); "" when it does.
  const std::string& error() const { return error_; }

  // The first match anywhere in `text`: [0] the whole match, then each
  // capture group ("" when that group took no part). nullopt when none
  // (or when the pattern did not compile).
  std::optional<std::vector<std::string>> search(std::string_view text) const;

 private:
  std::unique_ptr<re2::RE2> re_;
  std::string error_;
};

}  // namespace bbcheck
