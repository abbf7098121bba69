// Following `extends`: a profile merged over the profiles it extends, with
// `drop` applied and extends cycles refused.
#pragma once

#include <string>
#include <vector>

#include "checker/profile/profile.h"
#include "checker/profile/profile_reader.h"
#include "checker/profile/raw_profile.h"

namespace bbcheck {

// Overlays `child` on `base`: vars replace, checks with a known id override
// field by field in place, new checks append.
void overlayProfile(RawProfile& base, RawProfile child);

// Loads one profile and, recursively, everything it extends. Use one loader
// per top-level profile: it remembers the chain being loaded to spot cycles.
class ExtendsLoader {
 public:
  // `ref` as in locateProfile().
  RawProfile load(const std::string& ref, const std::string& fromDir, const SourcePos& usedAt);
  RawProfile loadSource(const ProfileSource& source, const SourcePos& usedAt);

  // Text of the first profile loaded (not of its parents): what is hashed.
  const std::string& topText() const { return topText_; }

 private:
  RawProfile loadLayer(const ProfileSource& source);

  std::vector<std::string> stack_;  // identities of the profiles being loaded
  std::string topText_;
};

}  // namespace bbcheck
