#include "probes/regex.h"

#include <re2/re2.h>

#include <algorithm>

namespace bbcheck {
namespace {

constexpr size_t kMaxPatternLength = 8192;
constexpr int kMaxGroupDepth = 100;

// How deeply the pattern's groups nest (escapes and [classes] skipped).
// RE2 parses without recursion, but some of its later passes over the
// parsed expression do recurse: a pattern nested thousands deep is refused
// before it gets there.
int groupDepth(const std::string& pattern) {
  int depth = 0, deepest = 0;
  bool inClass = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (inClass) {
      if (c == ']') inClass = false;
    } else if (c == '[') {
      inClass = true;
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') ++i;
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') ++i;  // "[]a]": ']' is a member
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

Regex::Regex(const std::string& pattern, bool multiline) {
  if (groupDepth(pattern) > kMaxGroupDepth) {
    error_ = "groups nested more than 100 deep";
    return;
  }
  if (pattern.size() > kMaxPatternLength) {
    error_ = "longer than 8192 characters";
    return;
  }
  RE2::Options options;
  options.set_log_errors(false);  // the error is returned, not printed
  options.set_max_mem(32 << 20);  // a pathological pattern fails to compile instead
  // RE2 reads (?m) as "multi-line mode"; the option is only honoured with
  // posix_syntax, so the flag goes in front of the pattern instead.
  re_ = std::make_unique<RE2>(multiline ? "(?m)" + pattern : pattern, options);
  if (!re_->ok()) error_ = re_->error().empty() ? "does not compile" : re_->error();
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

std::optional<std::vector<std::string>> Regex::search(std::string_view text) const {
  if (!ok()) return std::nullopt;
  int groups = re_->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> found(static_cast<size_t>(groups) + 1);
  if (!re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED,
                  found.data(), static_cast<int>(found.size())))
    return std::nullopt;
  std::vector<std::string> out;
  out.reserve(found.size());
  for (const auto& piece : found)
    out.emplace_back(piece.data() ? std::string(piece.data(), piece.size()) : std::string());
  return out;
}

}  // namespace bbcheck
