// trace_store.hpp - a snapshot's traces (model/ only): (domain, size, count,
// traceback id) groups, owned or read in place from a binary dump.
#ifndef TRACEMALLOC_MODEL_TRACE_STORE_HPP
#define TRACEMALLOC_MODEL_TRACE_STORE_HPP

#include "file_io.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace tracemalloc {
namespace model {

struct TraceEntry {
  uint64_t domain = 0;
  uint64_t size = 0;
  uint64_t count = 0;
  uint32_t traceback = 0;
};

using TraceVector = std::vector<TraceEntry, LargeBufferAllocator<TraceEntry>>;

// A snapshot's traces: entries it owns, or the validated trace table of a
// binary dump read in place (10M traces are 280 MB the loader need not copy).
class TraceStore {
 public:
  static constexpr size_t kRecordSize = 28;  // domain u64, size u64, count u64, traceback u32

  void reserve(size_t n) { owned_.reserve(n); }
  void push_back(const TraceEntry &e) { owned_.push_back(e); }
  // `records` holds `n` records inside *file, already checked (traceback ids
  // index `traceback_ids`, counts >= 1).
  void adopt_file_table(std::shared_ptr<const FileBytes> file, const unsigned char *records,
                        size_t n, std::shared_ptr<const std::vector<uint32_t>> traceback_ids) {
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
    bool operator!=(const const_iterator &o) const {
      return records_ != o.records_ || owned_ != o.owned_;
    }

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

}  // namespace model
}  // namespace tracemalloc

#endif  // TRACEMALLOC_MODEL_TRACE_STORE_HPP
