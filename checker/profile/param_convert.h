// Converting a check's parameter text to its typed value (checker/param_convert.cpp).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/profile/profile.h"
#include "probes/probe.h"

namespace bbcheck {

// Long profile text shortened for a message (a 20,000-group pattern).
std::string ellipsized(const std::string& text, size_t limit = 200);

// true/yes/on/1, false/no/off/0/"" (any case); nothing otherwise.
std::optional<bool> parseBool(std::string text);

// How a value of `type` is written, for messages ("a whole number").
const char* typeHint(ParamType type);

bool isList(ParamType type);

// Converts the items of a YAML value (or of a default written as text) into
// the ParamValue of `spec`; a wrong type, an out-of-range number or a
// pattern RE2 refuses is a ProfileError at the item's position.
ParamValue convertParam(const ParamSpec& spec, const std::string& probe,
                        const std::vector<std::pair<std::string, SourcePos>>& items,
                        bool wasSequence, const SourcePos& pos);

}  // namespace bbcheck
