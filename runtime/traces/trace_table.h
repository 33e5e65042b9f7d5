// trace_table.h - the traces: (domain, address) -> (size, traceback).
//
// Split into kTraceShards shards by address hash, each an open-addressing
// table with its own lock, so that threads allocating and freeing at the same
// time rarely meet.  Domain is 0 for the allocation entries; the key keeps it
// for the track/untrack API of custom allocators.
#ifndef TRACEMALLOC_RUNTIME_TRACE_TABLE_H
#define TRACEMALLOC_RUNTIME_TRACE_TABLE_H

#include <cstddef>
#include <cstdint>

#include "runtime/support/spinlock.h"
#include "runtime/tracebacks/traceback_table.h"

namespace tm_rt {

// The trace of one block in the table (the model's Trace plus the block's
// address, which keys it).
struct TracedBlock {
  uintptr_t address;  // 0 marks an empty slot: NULL is never traced
  uint64_t size;
  const TracebackRecord *traceback;
  uint32_t domain;
  uint32_t group;  // the trace's group (trace_groups.h), set when stored
};

class alignas(64) TraceShard {
 public:
  SpinLock lock;

  // Every method below requires `lock` held.
  TracedBlock *find(uint32_t domain, uintptr_t address);
  // Inserts or overwrites; *replaced_size gets the overwritten trace's size
  // (0 if none).  Returns false when the table cannot grow (nothing changed).
  bool insert(const TracedBlock &trace, uint64_t *replaced_size);
  // Removes the trace into *removed; false if there is none.
  bool remove(uint32_t domain, uintptr_t address, TracedBlock *removed);
  // Removes every trace and returns the table's memory.
  void clear();
  size_t size() const { return count_; }
  template <typename Visit>
  void for_each(Visit &&visit) const {
    for (size_t i = 0; i < capacity_; ++i) {
      if (slots_[i].address) visit(slots_[i]);
    }
  }

 private:
  size_t home(uint32_t domain, uintptr_t address) const;
  bool grow();

  TracedBlock *slots_ = nullptr;  // protected by lock; capacity_ slots, power of 2
  size_t capacity_ = 0;           // protected by lock
  size_t count_ = 0;              // protected by lock
};

constexpr size_t kTraceShards = 64;

// Hash shared by shard selection (high bits) and slot selection (low bits).
// Fully mixed: a bare multiply leaves low bits that depend only on low
// address bits, and heap addresses share those.
inline uint64_t trace_hash(uint32_t domain, uintptr_t address) {
  uint64_t h = static_cast<uint64_t>(address) ^ (static_cast<uint64_t>(domain) << 48);
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdull;
  h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 33);
}

TraceShard &trace_shard_for(uint32_t domain, uintptr_t address);
TraceShard &trace_shard_at(size_t index);

// Locks every shard in index order (the only order ever used for two or more).
void lock_trace_shards();
void unlock_trace_shards();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACE_TABLE_H
