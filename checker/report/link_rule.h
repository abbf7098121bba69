// The kernel's rule for following symlinks in shared directories
// (fs.protected_symlinks, Documentation/admin-guide/sysctl/fs.rst): a link
// in a sticky, world-writable directory is followed only by its owner, or
// when the directory's owner also owns the link. bbcheck applies it itself,
// so that it holds where the sysctl is off (containers, older systems) too.
#pragma once

#include <string>

namespace bbcheck {

// "" when every symlink on `path` (each directory on the way and the last
// component) may be followed by this process under that rule; otherwise
// why not, naming the link, its owner and the directory. Links are looked
// at (lstat), never resolved: what they name is for the kernel to open.
std::string linkRefusal(const std::string& path);

}  // namespace bbcheck
