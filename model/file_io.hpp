// file_io.hpp - memory and files for large snapshots (model/; tm-report
// uses the atomic write): the buffers that hold millions of traces, whole
// input files, little-endian loads and the writers' atomic write.
#ifndef TRACEMALLOC_MODEL_FILE_IO_HPP
#define TRACEMALLOC_MODEL_FILE_IO_HPP

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>

namespace tracemalloc {
namespace model {

// Large buffers come from mmap with transparent huge pages requested: 10M
// traces are 320 MB, and faulting that in 4 KiB pages cost more than parsing
// the dump.  Small ones stay on malloc.
void *allocate_large_buffer(size_t bytes);
void free_large_buffer(void *p, size_t bytes);
constexpr size_t kLargeBufferThreshold = size_t(4) << 20;

template <typename T>
struct LargeBufferAllocator {
  using value_type = T;
  LargeBufferAllocator() = default;
  template <typename U>
  LargeBufferAllocator(const LargeBufferAllocator<U> &) {}
  T *allocate(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
    size_t bytes = n * sizeof(T);
    if (bytes < kLargeBufferThreshold) {
      void *p = std::malloc(bytes ? bytes : 1);
      if (!p) throw std::bad_alloc();
      return static_cast<T *>(p);
    }
    return static_cast<T *>(allocate_large_buffer(bytes));
  }
  void deallocate(T *p, size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < kLargeBufferThreshold)
      std::free(p);
    else
      free_large_buffer(p, bytes);
  }
  friend bool operator==(const LargeBufferAllocator &, const LargeBufferAllocator &) {
    return true;
  }
  friend bool operator!=(const LargeBufferAllocator &, const LargeBufferAllocator &) {
    return false;
  }
};

// A whole input file, read (not mapped: a mapping raises SIGBUS when another
// process truncates the file while it is being read) in bounded steps, after
// its first bytes have been checked.  `path` "-" is standard input; other
// files must be regular files (a FIFO without a writer would block, a device
// such as /dev/zero never ends).
class FileBytes {
 public:
  static constexpr size_t kHeadSize = 24;
  // Given the first min(kHeadSize, size) bytes and the file's size (unknown
  // for standard input), throws Error for input that cannot be a snapshot,
  // or returns how many bytes a valid file has when its header says so: at
  // most one byte more is read (enough to report trailing garbage).
  using HeadCheck = std::optional<uint64_t> (*)(const std::string &path, std::string_view head,
                                                std::optional<uint64_t> size);
  // Error "PATH: cannot open: ...", "PATH: cannot read: ...", "PATH: not a
  // regular file ...", or the check's.
  FileBytes(const std::string &path, HeadCheck check);
  ~FileBytes();
  FileBytes(const FileBytes &) = delete;
  FileBytes &operator=(const FileBytes &) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  char *data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;  // of the buffer
};

inline uint32_t load_le32(const unsigned char *p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

inline uint64_t load_le64(const unsigned char *p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

// Shared by the writers (snapshots here, tm-report's exports): the atomic
// write, through a temporary renamed over `path`, so a failed or killed
// writer never leaves a partial file under the final name.  Errors read
// "cannot write WHAT to PATH: reason".  Snapshots stay private (0600);
// `shared` files (reports) get 0666 less the umask, as a new file would.
void write_file_atomically(const std::string &path, std::string_view contents,
                           const char *what = "snapshot", bool shared = false);

}  // namespace model
}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_FILE_IO_HPP
