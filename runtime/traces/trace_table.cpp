// trace_table.cpp - linear probing with backward-shift deletion (no
// tombstones, so a table with heavy malloc/free churn never degrades).
#include "runtime/traces/trace_table.h"

#include "runtime/support/internal_alloc.h"
#include "runtime/traces/trace_groups.h"

namespace tm_rt {
namespace {

constexpr size_t kInitialCapacity = 256;
TraceShard g_shards[kTraceShards];

}  // namespace

size_t TraceShard::home(uint32_t domain, uintptr_t address) const {
  // Low bits: the high ones chose the shard.
  return trace_hash(domain, address) & (capacity_ - 1);
}

TracedBlock *TraceShard::find(uint32_t domain, uintptr_t address) {
  if (count_ == 0) return nullptr;
  for (size_t i = home(domain, address);; i = (i + 1) & (capacity_ - 1)) {
    TracedBlock &slot = slots_[i];
    if (!slot.address) return nullptr;
    if (slot.address == address && slot.domain == domain) return &slot;
  }
}

bool TraceShard::grow() {
  const size_t new_capacity = capacity_ ? capacity_ * 2 : kInitialCapacity;
  auto *new_slots = static_cast<TracedBlock *>(internal_alloc(sizeof(TracedBlock) * new_capacity));
  if (!new_slots) return false;
  TracedBlock *old_slots = slots_;
  const size_t old_capacity = capacity_;
  slots_ = new_slots;
  capacity_ = new_capacity;
  for (size_t i = 0; i < old_capacity; ++i) {
    const TracedBlock &t = old_slots[i];
    if (!t.address) continue;
    size_t j = home(t.domain, t.address);
    while (slots_[j].address) j = (j + 1) & (capacity_ - 1);
    slots_[j] = t;
  }
  internal_free(old_slots, sizeof(TracedBlock) * old_capacity);
  return true;
}

bool TraceShard::insert(const TracedBlock &trace, uint64_t *replaced_size) {
  *replaced_size = 0;
  if (TracedBlock *existing = find(trace.domain, trace.address)) {
    // A block freed behind the runtime's back (uninstrumented code) whose
    // address came back: the new trace wins, as in CPython.
    *replaced_size = existing->size;
    *existing = trace;
    return true;
  }
  // Load factor <= 1/2 keeps probe sequences short.
  if ((count_ + 1) * 2 > capacity_ && !grow()) return false;
  size_t i = home(trace.domain, trace.address);
  while (slots_[i].address) i = (i + 1) & (capacity_ - 1);
  slots_[i] = trace;
  ++count_;
  return true;
}

bool TraceShard::remove(uint32_t domain, uintptr_t address, TracedBlock *removed) {
  TracedBlock *slot = find(domain, address);
  if (!slot) return false;
  *removed = *slot;
  size_t hole = static_cast<size_t>(slot - slots_);
  // Shift later members of the cluster back so every trace stays reachable
  // from its home slot.
  for (size_t j = (hole + 1) & (capacity_ - 1); slots_[j].address; j = (j + 1) & (capacity_ - 1)) {
    const size_t h = home(slots_[j].domain, slots_[j].address);
    const bool movable = (j > hole) ? (h <= hole || h > j) : (h <= hole && h > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = TracedBlock{};
  --count_;
  return true;
}

void TraceShard::clear() {
  internal_free(slots_, sizeof(TracedBlock) * capacity_);
  slots_ = nullptr;
  capacity_ = 0;
  count_ = 0;
}

TraceShard &trace_shard_for(uint32_t domain, uintptr_t address) {
  return g_shards[trace_hash(domain, address) >> 58];  // top 6 bits: 64 shards
}

TraceShard &trace_shard_at(size_t index) { return g_shards[index]; }

// The trace groups (trace_groups.h) hold the traces of header blocks: they
// are locked with the table, after it, so "every trace shard locked" keeps
// meaning "no trace changes".
void lock_trace_shards() {
  for (TraceShard &shard : g_shards) shard.lock.lock();
  lock_group_shards();
}

void unlock_trace_shards() {
  unlock_group_shards();
  for (size_t i = kTraceShards; i-- > 0;) g_shards[i].lock.unlock();
}

}  // namespace tm_rt
