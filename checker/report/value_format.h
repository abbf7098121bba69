// Observed/expected values (Poco::Dynamic::Var trees) in the report formats:
// JSON objects through Poco::JSON, YAML through yaml-cpp's emitter, and a
// compact one-line text for people. Escaping is always the library's.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <yaml-cpp/emitter.h>

#include <string>

#include "probes/probe.h"

namespace bbcheck {

// A Var tree as something Poco::JSON::Stringifier writes correctly.
Poco::Dynamic::Var toJsonValue(const Value& value);

// Emits a Var tree into a YAML emitter.
void emitYaml(YAML::Emitter& out, const Value& value);

// Compact JSON on one line, for text and XML bodies.
std::string oneLine(const Value& value);

}  // namespace bbcheck
