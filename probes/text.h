// Small text helpers shared by probes and the engine. Kept in one place so
// that every message trims, joins and shortens the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bbcheck {

// Without leading and trailing spaces, tabs, CR and LF.
std::string trimmed(const std::string& text);

bool contains(const std::string& text, const std::string& part);

bool startsWith(const std::string& text, const std::string& prefix);

// "a, b, c" with separator ", "; "" for no items.
std::string joinedWith(const std::vector<std::string>& items, const std::string& separator);

// The first line that is not blank, trimmed, shortened to maxChars with "...".
std::string firstLine(const std::string& text, size_t maxChars = 120);

// The last component of a slash-separated path ("b" for "/a/b").
std::string baseName(const std::string& path);

// The directory part of a path: "." for "file", "/" for "/file".
std::string directoryOf(const std::string& path);

// A resource limit as people write it: "unlimited" for RLIM_INFINITY.
std::string rlimitText(uint64_t value);

}  // namespace bbcheck
