// snapshot_data.hpp - internal representation of a Snapshot (model/ only).
//
// A snapshot of 10M traces typically has ~100k distinct tracebacks, so
// everything is interned: strings, frames and tracebacks live once in shared,
// immutable Tables, and traces are (domain, size, count, traceback id) groups.
// filter_traces() and copies share the Tables.
#ifndef TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP
#define TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP

#include <tracemalloc/snapshot.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

namespace tracemalloc {
namespace model {

inline uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline uint64_t hash_ids(const uint32_t *ids, size_t n, uint64_t seed) {
  uint64_t h = mix64(seed ^ n);
  for (size_t i = 0; i < n; ++i) h = mix64(h ^ ids[i]) + i;
  return h;
}

struct FrameRecord {
  uint32_t filename = 0;  // string ids
  uint32_t lineno = 0;
  uint32_t function = 0;
  uint32_t directory = 0;
};

struct Tables {
  // Invariant: strings are unique, so string id equality is string equality.
  std::vector<std::string> strings;
  // Invariant: frames are unique as 4-tuples.
  std::vector<FrameRecord> frames;
  // Frames with equal (filename, lineno) share a key id: the identity CPython
  // groups and compares by.  key_frame[key] is the first frame with that key,
  // used for display (function, directory).
  std::vector<uint32_t> frame_key;
  std::vector<uint32_t> key_frame;
  // Traceback t has frame ids tb_frames[tb_begin[t] .. tb_begin[t+1]),
  // oldest first, at least one.
  std::vector<uint32_t> tb_begin{0};
  std::vector<uint32_t> tb_frames;
  std::vector<uint64_t> tb_total_nframe;
  std::vector<uint8_t> tb_has_total_nframe;

  size_t traceback_count() const { return tb_begin.size() - 1; }
  uint32_t most_recent_frame(uint32_t tb) const { return tb_frames[tb_begin[tb + 1] - 1]; }
  Frame make_frame(uint32_t frame_id) const;
  // Materialized once on first use (traces(), trace_groups()): thread-safe.
  const std::vector<Traceback> &tracebacks() const;

 private:
  mutable std::once_flag materialize_once_;
  mutable std::vector<Traceback> materialized_;
};

struct TraceEntry {
  uint64_t domain = 0;
  uint64_t size = 0;
  uint64_t count = 0;
  uint32_t traceback = 0;
};

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
  friend bool operator==(const LargeBufferAllocator &, const LargeBufferAllocator &) { return true; }
  friend bool operator!=(const LargeBufferAllocator &, const LargeBufferAllocator &) { return false; }
};

using TraceVector = std::vector<TraceEntry, LargeBufferAllocator<TraceEntry>>;

// A whole input file.  Regular files are mapped: the page cache pages are
// used in place, where a copy would cost fresh zeroed memory as large as the
// file (on this kind of VM, clearing pages is slower than parsing them).
// Other files (pipes) are read into a buffer.  Caveat of mapping: a file
// truncated by another process while it is being read raises SIGBUS; the
// writers of snapshots replace files by rename, never in place.
class FileBytes {
 public:
  explicit FileBytes(const std::string &path);  // Error "PATH: cannot open: ..."
  ~FileBytes();
  FileBytes(const FileBytes &) = delete;
  FileBytes &operator=(const FileBytes &) = delete;
  std::string_view view() const { return {data_, size_}; }

 private:
  char *data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;  // of the read buffer; 0 when mapped
  bool mapped_ = false;
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

// A snapshot's traces: entries it owns, or the validated trace table of a
// binary dump read in place (10M traces are 280 MB the loader need not copy).
class TraceStore {
 public:
  static constexpr size_t kRecordSize = 28;  // domain u64, size u64, count u64, traceback u32

  void reserve(size_t n) { owned_.reserve(n); }
  void push_back(const TraceEntry &e) { owned_.push_back(e); }
  // `records` holds `n` records inside *file, already checked (traceback ids
  // index `traceback_ids`, counts >= 1).
  void adopt_file_table(std::shared_ptr<const FileBytes> file, const unsigned char *records, size_t n,
                        std::shared_ptr<const std::vector<uint32_t>> traceback_ids) {
    owned_ = TraceVector();
    file_ = std::move(file);
    records_ = records;
    record_count_ = n;
    traceback_ids_ = std::move(traceback_ids);
  }
  size_t entry_count() const { return file_ ? record_count_ : owned_.size(); }

  // Iteration yields TraceEntry values (decoded from the file when read in
  // place); for_each() is the faster form for whole passes.
  class const_iterator {
   public:
    TraceEntry operator*() const {
      if (!records_) return *owned_;
      return TraceEntry{load_le64(records_), load_le64(records_ + 8), load_le64(records_ + 16),
                        (*ids_)[load_le32(records_ + 24)]};
    }
    const_iterator &operator++() {
      if (records_)
        records_ += kRecordSize;
      else
        ++owned_;
      return *this;
    }
    bool operator!=(const const_iterator &o) const { return records_ != o.records_ || owned_ != o.owned_; }

   private:
    friend class TraceStore;
    const TraceEntry *owned_ = nullptr;
    const unsigned char *records_ = nullptr;
    const std::vector<uint32_t> *ids_ = nullptr;
  };
  const_iterator begin() const { return at(0); }
  const_iterator end() const { return at(entry_count()); }

  template <typename Fn>
  void for_each(Fn &&fn) const {
    if (!file_) {
      for (const TraceEntry &e : owned_) fn(e);
      return;
    }
    const std::vector<uint32_t> &ids = *traceback_ids_;
    const unsigned char *r = records_;
    for (size_t i = 0; i < record_count_; ++i, r += kRecordSize)
      fn(TraceEntry{load_le64(r), load_le64(r + 8), load_le64(r + 16), ids[load_le32(r + 24)]});
  }

 private:
  const_iterator at(size_t i) const {
    const_iterator it;
    if (file_) {
      it.records_ = records_ + i * kRecordSize;
      it.ids_ = traceback_ids_.get();
    } else {
      it.owned_ = owned_.data() + i;
    }
    return it;
  }

  TraceVector owned_;
  std::shared_ptr<const FileBytes> file_;
  const unsigned char *records_ = nullptr;
  size_t record_count_ = 0;
  std::shared_ptr<const std::vector<uint32_t>> traceback_ids_;
};

// Open-addressing index of ids: the tables themselves hold the keys, so the
// index is 8 bytes per slot and lookups touch one cache line, unlike
// std::unordered_map's node per entry (which dominated loading 1M traces).
class IdIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  template <typename Eq>
  uint32_t find(uint32_t hash, Eq &&same) const {
    if (slots_.empty()) return kNone;
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot &s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.hash == hash && same(s.id)) return s.id;
    }
  }
  void insert(uint32_t hash, uint32_t id);
  void clear() { std::vector<Slot>().swap(slots_), used_ = 0; }

 private:
  struct Slot {
    uint32_t id = kNone;
    uint32_t hash = 0;
  };
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// Interns into a Tables under construction, for SnapshotBuilder.  The file
// readers go through SnapshotBuilder too, so the Tables invariants hold
// whatever a file contains.
class Interner {
 public:
  Interner();
  uint32_t string(std::string_view s);
  // Ids must be valid (checked by the callers, who know the context).
  uint32_t frame(uint32_t filename, uint32_t lineno, uint32_t function, uint32_t directory);
  uint32_t traceback(const uint32_t *oldest_first, size_t n, std::optional<uint64_t> total_nframe);
  Tables &tables() { return *tables_; }
  std::shared_ptr<const Tables> finish();

 private:
  std::shared_ptr<Tables> tables_;
  IdIndex string_ids_, frame_ids_, key_ids_, traceback_ids_;
};

}  // namespace model

class SnapshotData {
 public:
  std::shared_ptr<const model::Tables> tables;
  model::TraceStore traces;
  uint32_t traceback_limit = 0;
  uint64_t traced_current = 0;
  uint64_t traced_peak = 0;
  // Only while a SnapshotBuilder fills this.
  std::unique_ptr<model::Interner> interner;
};

namespace model {
// Shared by the writers: the atomic write (temp file + rename).
void write_file_atomically(const std::string &path, const std::string &contents);
// With `file` (which holds `bytes`), the snapshot reads its traces in place.
Snapshot load_binary_from_memory(const std::string &path, std::string_view bytes,
                                 std::shared_ptr<const FileBytes> file = nullptr);
Snapshot load_json_from_memory(const std::string &path, std::string_view bytes);
}  // namespace model

}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_SNAPSHOT_DATA_HPP
