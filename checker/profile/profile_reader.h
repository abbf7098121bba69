// Reading one profile file: finding it (built-in or on disk) and turning its
// YAML into checked top-level fields and its own vars, defaults and checks.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/profile/raw_profile.h"
#include "checker/profile/yaml_node.h"

namespace bbcheck {

// One profile's text and where it came from.
struct ProfileSource {
  std::string identity;  // "builtin:NAME" or a canonical path: for cycles
  std::string file;      // as shown in positions
  std::string dir;       // where relative extends resolve
  std::string text;
};

// A reference with a '/' or a .yaml/.yml suffix is a file; anything else
// names a built-in profile.
bool looksLikeProfilePath(const std::string& ref);

// Finds a profile by reference; `fromDir` is where relative paths start
// ("" for the command line: the working directory). `usedAt` is where the
// reference was written, for errors.
ProfileSource locateProfile(const std::string& ref, const std::string& fromDir,
                            const SourcePos& usedAt);

// `-p -`: the profile on standard input, named <stdin> in messages
// (<stdin>:3:5: ...); its relative `extends` resolve against the working
// directory. Standard input is read once; a second `-` gets the same text.
constexpr const char* kStdinProfile = "<stdin>";
ProfileSource stdinProfile();

// The top level of one profile file: parsed, keys known, format 1, named.
struct ProfileDocument {
  std::string file;
  std::string name;
  std::string description;
  std::string subject;  // what the verdict judges: "host", "image"; "" when not said
  std::map<std::string, YamlNode> top;  // every top-level key as written
};

ProfileDocument readProfileDocument(const ProfileSource& source);

// The values of a top-level list such as `extends` or `drop` (one value
// counts as a list of one), each with its node for positions; empty when
// the key is absent.
std::vector<std::pair<std::string, YamlNode>> profileList(const ProfileDocument& doc,
                                                          const std::string& key);

// The file's own vars and checks (with its `defaults:` attached), ignoring
// whatever it extends or drops.
RawProfile readOwnLayer(const ProfileDocument& doc);

}  // namespace bbcheck
