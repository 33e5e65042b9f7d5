// file_io.cpp - large buffers, whole input files and the atomic write shared
// by both snapshot formats.
#include "file_io.hpp"

#include <tracemalloc/snapshot.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace tracemalloc {
namespace model {

void *allocate_large_buffer(size_t bytes) {
  constexpr size_t kHugePage = size_t(2) << 20;
  size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
  // Over-map by one huge page so the buffer can start on a 2 MiB boundary;
  // otherwise its first and last pages could not be huge.
  size_t mapped = rounded + kHugePage;
  void *p = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  uintptr_t start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = (start + kHugePage - 1) & ~uintptr_t(kHugePage - 1);
  if (aligned > start) ::munmap(p, aligned - start);
  size_t tail = (start + mapped) - (aligned + rounded);
  if (tail > 0) ::munmap(reinterpret_cast<void *>(aligned + rounded), tail);
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void *>(aligned), rounded,
            MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  return reinterpret_cast<void *>(aligned);
}

void free_large_buffer(void *p, size_t bytes) {
  constexpr size_t kHugePage = size_t(2) << 20;
  ::munmap(p, (bytes + kHugePage - 1) & ~(kHugePage - 1));
}

namespace {

const char *file_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO or pipe";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Reads until `buffer` holds `want` bytes or the input ends; returns how
// many it holds, or -1 with errno.
ssize_t read_up_to(int fd, char *buffer, size_t have, size_t want) {
  while (have < want) {
    ssize_t n = ::read(fd, buffer + have, want - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    have += size_t(n);
  }
  return ssize_t(have);
}

}  // namespace

FileBytes::FileBytes(const std::string &path, HeadCheck check) {
  const bool is_stdin = path == "-";
  // O_NONBLOCK: opening a FIFO without a writer must not block (it is
  // refused below); it changes nothing for a regular file.
  int fd = is_stdin ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  auto close_fd = [&] {
    if (!is_stdin) ::close(fd);
  };
  struct stat st;
  int stat_error = ::fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
  if (stat_error != 0) {
    close_fd();
    throw Error(path + ": cannot read: " + std::strerror(stat_error));
  }
  const bool regular = S_ISREG(st.st_mode);
  if (!regular && !is_stdin) {
    close_fd();
    throw Error(path + ": cannot read: " + file_kind(st.st_mode) +
                ", not a snapshot file (use - to read standard input)");
  }
  LargeBufferAllocator<char> allocator;
  size_t capacity = kHeadSize;
  char *buffer = allocator.allocate(capacity);
  auto fail = [&](const std::string &message) {
    close_fd();
    allocator.deallocate(buffer, capacity);
    throw Error(message);
  };
  ssize_t got = read_up_to(fd, buffer, 0, kHeadSize);
  if (got < 0) fail(path + ": cannot read: " + std::strerror(errno));
  size_t used = size_t(got);
  std::optional<uint64_t> known_size;
  if (regular) known_size = uint64_t(st.st_size);
  std::optional<uint64_t> expected;
  try {
    expected = check(path, std::string_view(buffer, used), known_size);
  } catch (...) {
    close_fd();
    allocator.deallocate(buffer, capacity);
    throw;
  }
  // The most to read: the size the header announces (plus one, to notice
  // trailing bytes), else a regular file's size (plus one, to notice it
  // growing); a pipe with no announced size is read until it ends.
  uint64_t limit = UINT64_MAX;
  if (expected && *expected < UINT64_MAX) limit = *expected + 1;
  if (known_size && *known_size < limit) limit = *known_size + 1;
  while (used == capacity && capacity < limit) {
    // Grow by doubling (a pipe) or straight to the size (a file); the buffer
    // is never larger than what has been read plus one step.
    size_t bigger = capacity * 2;
    if (known_size && limit <= SIZE_MAX) bigger = size_t(limit);
    if (uint64_t(bigger) > limit) bigger = size_t(limit);
    char *grown = allocator.allocate(bigger);
    std::memcpy(grown, buffer, used);
    allocator.deallocate(buffer, capacity);
    buffer = grown;
    capacity = bigger;
    got = read_up_to(fd, buffer, used, capacity);
    if (got < 0) fail(path + ": cannot read: " + std::strerror(errno));
    if (size_t(got) < capacity) {
      used = size_t(got);
      break;
    }
    used = size_t(got);
  }
  if (regular && used != uint64_t(st.st_size) && !(expected && used > *expected))
    fail(path + ": cannot read: the file changed size while being read (" +
         std::to_string(st.st_size) + " bytes, then " + std::to_string(used) + ")");
  close_fd();
  data_ = buffer;
  size_ = used;
  capacity_ = capacity;
}

FileBytes::~FileBytes() { LargeBufferAllocator<char>().deallocate(data_, capacity_); }

namespace {

// Temporary names: ".NAME.tmXXXXXX" beside PATH, NAME cut so the temporary
// name is never longer than the longest file name (NAME_MAX, 255) when
// PATH's own name fits.
constexpr size_t kNameMax = 255;
constexpr const char kTempSuffix[] = ".tmXXXXXX";
constexpr size_t kTempExtra = 1 + sizeof kTempSuffix - 1;  // the dot, the suffix
// A temporary of the pattern untouched for this long belongs to a writer
// that was killed (a live writer's mtime moves with each write).
constexpr time_t kStaleSeconds = 600;

struct TempName {
  std::string dir;     // "" or ending with '/'
  std::string prefix;  // "." + NAME cut + ".tm"
};

TempName temp_name(const std::string &path) {
  size_t slash = path.rfind('/');
  TempName t;
  t.dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() + kTempExtra > kNameMax) name.resize(kNameMax - kTempExtra);
  t.prefix = "." + name + ".tm";
  return t;
}

// Removes temporaries of `t`'s pattern that a killed writer of the same
// owner left behind.
void remove_stale_temporaries(const TempName &t) {
  DIR *d = ::opendir(t.dir.empty() ? "." : t.dir.c_str());
  if (!d) return;
  const time_t now = ::time(nullptr);
  while (struct dirent *e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() != t.prefix.size() + 6 || name.compare(0, t.prefix.size(), t.prefix) != 0)
      continue;
    struct stat st;
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (!S_ISREG(st.st_mode) || st.st_uid != ::geteuid() || st.st_mtime > now - kStaleSeconds)
      continue;
    ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
}

bool write_fully(int fd, std::string_view contents) {
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += size_t(n);
  }
  return true;
}

}  // namespace

void write_file_atomically(const std::string &path, std::string_view contents, const char *what,
                           bool shared) {
  auto fail = [&](int err) {
    throw Error(std::string("cannot write ") + what + " to " + path + ": " + std::strerror(err));
  };
  // 0600 until complete; then what any program's new file gets.
  auto publish = [&](int fd) {
    if (!shared) return true;
    const mode_t mask = ::umask(0);
    ::umask(mask);
    return ::fchmod(fd, 0666 & ~mask) == 0;
  };
  const TempName t = temp_name(path);
  remove_stale_temporaries(t);
  std::string tmp = t.dir + t.prefix + "XXXXXX";
#ifdef O_TMPFILE
  // An unnamed file first: a writer killed while writing leaves nothing.
  // It gets the temporary name only once complete, for the rename.
  int anon = ::open(t.dir.empty() ? "." : t.dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (anon >= 0) {
    if (!write_fully(anon, contents) || !publish(anon)) {
      int err = errno;
      ::close(anon);
      fail(err);
    }
    const std::string proc = "/proc/self/fd/" + std::to_string(anon);
    // A new name (a numbered dump) is linked in complete, never named before.
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      if (::close(anon) != 0) {
        int err = errno;
        ::unlink(path.c_str());
        fail(err);
      }
      return;
    }
    // An existing one is replaced by rename() from a temporary name.
    for (int attempt = 0; errno == EEXIST && attempt < 16; ++attempt) {
      tmp = t.dir + t.prefix + "XXXXXX";
      static const char letters[] =
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      uint64_t r = uint64_t(::getpid()) * 0x9E3779B97F4A7C15ULL ^ uint64_t(::time(nullptr)) ^
                   (uint64_t(reinterpret_cast<uintptr_t>(&tmp)) << 7) ^ uint64_t(attempt) << 40;
      for (size_t i = tmp.size() - 6; i < tmp.size(); ++i, r = r * 6364136223846793005ULL + 1)
        tmp[i] = letters[(r >> 33) % (sizeof letters - 1)];
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0) {
        if (::close(anon) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
          int err = errno;
          ::unlink(tmp.c_str());
          fail(err);
        }
        return;
      }
      if (errno != EEXIST) break;  // no /proc, or linkat refused: the named way
    }
    ::close(anon);
  }
#endif
  // Without O_TMPFILE (or /proc): a named temporary, which a writer killed
  // now leaves behind (the next writer removes it once stale).
  tmp = t.dir + t.prefix + "XXXXXX";
  int fd = ::mkstemp(&tmp[0]);  // mode 0600
  if (fd < 0) fail(errno);
  if (!write_fully(fd, contents) || !publish(fd)) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(err);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    fail(err);
  }
}

}  // namespace model
}  // namespace tracemalloc
