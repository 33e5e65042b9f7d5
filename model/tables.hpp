// tables.hpp - the interned strings, frames and tracebacks a snapshot's
// traces point into (model/ only), and the Interner that fills them.
//
// A snapshot of 10M traces typically has ~100k distinct tracebacks, so
// everything is interned: strings, frames and tracebacks live once in shared,
// immutable Tables.  filter_traces() and copies share the Tables.
#ifndef TRACEMALLOC_MODEL_TABLES_HPP
#define TRACEMALLOC_MODEL_TABLES_HPP

#include <tracemalloc/snapshot.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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
  uint32_t linkage_name = 0;  // string id; "" when unknown
  uint32_t flags = 0;         // kFrameInlined
};

// FrameRecord::flags: the frame's code was inlined into the next older frame.
constexpr uint32_t kFrameInlined = 1;

struct Tables {
  // Invariant: strings are unique, so string id equality is string equality.
  std::vector<std::string> strings;
  // Invariant: frames are unique as 6-tuples (FrameRecord).
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
  uint32_t frame(const FrameRecord &frame);
  uint32_t traceback(const uint32_t *oldest_first, size_t n, std::optional<uint64_t> total_nframe);
  Tables &tables() { return *tables_; }
  std::shared_ptr<const Tables> finish();

 private:
  std::shared_ptr<Tables> tables_;
  IdIndex string_ids_, frame_ids_, key_ids_, traceback_ids_;
};

}  // namespace model
}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_TABLES_HPP
