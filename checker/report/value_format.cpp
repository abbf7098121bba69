#include "checker/report/value_format.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace bbcheck {

Poco::Dynamic::Var toJsonValue(const Value& value) {
  if (value.isEmpty()) return Poco::Dynamic::Var();
  if (value.isStruct()) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, item] : value.extract<Object>()) object->set(key, toJsonValue(item));
    return object;
  }
  if (value.isArray()) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array();
    for (const auto& item : value.extract<Array>()) array->add(toJsonValue(item));
    return array;
  }
  return value;
}

void emitYaml(YAML::Emitter& out, const Value& value) {
  if (value.isEmpty()) {
    out << YAML::Null;
  } else if (value.isStruct()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.extract<Object>()) {
      out << YAML::Key << key << YAML::Value;
      emitYaml(out, item);
    }
    out << YAML::EndMap;
  } else if (value.isArray()) {
    out << YAML::BeginSeq;
    for (const auto& item : value.extract<Array>()) emitYaml(out, item);
    out << YAML::EndSeq;
  } else if (value.isBoolean()) {
    out << value.convert<bool>();
  } else if (value.isInteger()) {
    out << value.convert<int64_t>();
  } else if (value.isNumeric()) {
    out << value.convert<double>();
  } else {
    out << YAML::DoubleQuoted << value.convert<std::string>();
  }
}

std::string oneLine(const Value& value) {
  if (value.isEmpty()) return "";
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(toJsonValue(value), out);
  return out.str();
}

}  // namespace bbcheck
