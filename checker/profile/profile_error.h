#pragma once

#include <stdexcept>
#include <string>

#include "checker/profile/profile.h"

namespace bbcheck {

// A mistake in a profile or in what the command line asks of it. what() is
// "file:line:column: message" (or just the message when there is no file).
class ProfileError : public std::runtime_error {
 public:
  ProfileError(SourcePos pos, const std::string& message);
  const SourcePos& pos() const { return pos_; }
  const std::string& message() const { return message_; }

 private:
  SourcePos pos_;
  std::string message_;
};

}  // namespace bbcheck
