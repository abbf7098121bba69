// ProfileError: how a profile mistake is worded, "file:line:column: message"
// or the bare message when it belongs to no file.
#include "checker/profile/profile_error.h"

#include <fmt/format.h>

namespace bbcheck {

ProfileError::ProfileError(SourcePos pos, const std::string& message)
    : std::runtime_error(
          pos.file.empty() ? message
                           : fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message)),
      pos_(std::move(pos)),
      message_(message) {}

}  // namespace bbcheck
