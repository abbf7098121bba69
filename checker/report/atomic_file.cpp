#include "checker/report/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

#include "probes/text.h"

namespace bbcheck {
namespace {

struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) ::close(fd);
  }
};

int openDirectory(const std::string& dir) {
  return ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

// A new file in `dirFd` named PREFIX.XXXXXX; never an existing name, never
// through a link. Returns its descriptor (name in `name`) or -1 with errno.
int createUnique(int dirFd, const std::string& prefix, std::string& name) {
  static const char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::random_device entropy;
  std::uniform_int_distribution<size_t> pick(0, sizeof kLetters - 2);
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = prefix + ".";
    for (int k = 0; k < 6; ++k) name += kLetters[pick(entropy)];
    // 0600 until written whole; then the mode a plain create would give.
    int fd =
        ::openat(dirFd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace

std::string whyNoFileCanBeCreated(const std::string& dir) {
  FileCloser dirFd{openDirectory(dir)};
  if (dirFd.fd < 0) return fmt::format("cannot open directory {}: {}", dir, std::strerror(errno));
  std::string name;
  int fd = createUnique(dirFd.fd, ".bbcheck-write-test", name);
  if (fd < 0) return fmt::format("cannot create a file in {}: {}", dir, std::strerror(errno));
  ::close(fd);
  ::unlinkat(dirFd.fd, name.c_str(), 0);
  return "";
}

void writeFileAtomically(const std::string& path, const std::string& content) {
  auto failure = [&path](int err) {
    return std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  };
  FileCloser dirFd{openDirectory(directoryOf(path))};
  if (dirFd.fd < 0) throw failure(errno);
  std::string base = baseName(path);
  std::string temp;
  int fd = createUnique(dirFd.fd, base + ".tmp", temp);
  if (fd < 0) throw failure(errno);
  auto discard = [&](int err) {
    ::close(fd);
    ::unlinkat(dirFd.fd, temp.c_str(), 0);
    return failure(err);
  };
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw discard(errno);
    written += static_cast<size_t>(n);
  }
  mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0 || ::fsync(fd) != 0) throw discard(errno);
  if (::close(fd) != 0) {
    int err = errno;
    ::unlinkat(dirFd.fd, temp.c_str(), 0);
    throw failure(err);
  }
  // renameat replaces the directory entry `base`, whatever it is now (a link
  // planted since the check included): never what a link there names.
  if (::renameat(dirFd.fd, temp.c_str(), dirFd.fd, base.c_str()) != 0) {
    int err = errno;
    ::unlinkat(dirFd.fd, temp.c_str(), 0);
    throw failure(err);
  }
}

}  // namespace bbcheck
