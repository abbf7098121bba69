// Waivers: a check's failure accepted on purpose, with why and until when
// (as kubeadm's --ignore-preflight-errors and InSpec's waiver files do).
// They come from a file (--waivers FILE) or the command line (--waive
// ID[:DATE], for one run); checker/run/waivers.h applies them.
//
// The file:
//   waivers:
//     - id: net.nntp
//       why: our ISP blocks port 119; test_nntplib is gone in 3.13
//       until: 2027-01-31
#pragma once

#include <string>
#include <vector>

#include "checker/profile/profile.h"

namespace bbcheck {

struct Waiver {
  std::string id;     // a check id (an instance copy's "ID.NAME" also matches ID)
  std::string why;    // what the reports show for it
  std::string until;  // YYYY-MM-DD, the last day it holds; "" for no end (--waive only)
  std::string where;  // "FILE:LINE:COLUMN" or "--waive VALUE", for messages
};

// Whether `text` is a calendar date written YYYY-MM-DD.
bool isIsoDate(const std::string& text);

// The waivers of the YAML text `text` read from `file`. Every waiver needs
// an id, a why and an until date; a mistake throws ProfileError at its
// file:line:column.
std::vector<Waiver> parseWaivers(const std::string& text, const std::string& file);

// The waivers of the file at `path` (ProfileError when it cannot be read).
std::vector<Waiver> readWaiverFile(const std::string& path);

// One --waive value, ID or ID:YYYY-MM-DD (ProfileError when malformed).
Waiver waiverFromFlag(const std::string& value);

}  // namespace bbcheck
