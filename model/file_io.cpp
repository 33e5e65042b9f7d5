// file_io.cpp - large buffers, whole input files and the atomic write shared
// by both snapshot formats.
#include "file_io.hpp"

#include <tracemalloc/snapshot.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

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

FileBytes::FileBytes(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  int stat_error = ::fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
  if (stat_error != 0) {
    ::close(fd);
    throw Error(path + ": cannot read: " + std::strerror(stat_error));
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    void *p = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      ::close(fd);
      data_ = static_cast<char *>(p);
      size_ = size_t(st.st_size);
      mapped_ = true;
      return;
    }
    // Some file systems cannot map: read instead.
  }
  size_t capacity =
      S_ISREG(st.st_mode) && st.st_size > 0 ? size_t(st.st_size) + 1 : size_t(1) << 16;
  LargeBufferAllocator<char> allocator;
  char *buffer = allocator.allocate(capacity);
  size_t used = 0;
  for (;;) {
    if (used == capacity) {
      size_t bigger = capacity * 2;
      char *grown = allocator.allocate(bigger);
      std::memcpy(grown, buffer, used);
      allocator.deallocate(buffer, capacity);
      buffer = grown;
      capacity = bigger;
    }
    ssize_t n = ::read(fd, buffer + used, capacity - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      allocator.deallocate(buffer, capacity);
      throw Error(path + ": cannot read: " + std::strerror(err));
    }
    if (n == 0) break;
    used += size_t(n);
  }
  ::close(fd);
  data_ = buffer;
  size_ = used;
  capacity_ = capacity;
}

FileBytes::~FileBytes() {
  if (mapped_)
    ::munmap(data_, size_);
  else
    LargeBufferAllocator<char>().deallocate(data_, capacity_);
}

void write_file_atomically(const std::string &path, const std::string &contents) {
  auto fail = [&](int err) {
    throw Error("cannot write snapshot to " + path + ": " + std::strerror(err));
  };
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(&tmp[0]);  // mode 0600
  if (fd < 0) fail(errno);
  auto fail_and_remove = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    fail(err);
  };
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_and_remove(errno);
    done += size_t(n);
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
