// trace_groups.h - every trace counted per group, with the views of its past.
//
// Traces with equal domain, size and traceback are indistinguishable in
// every statistic of CPython's tracemalloc, so the runtime counts them per
// (domain, traceback, size) group, whichever home the trace itself has:
//
// - When the runtime owns the process's malloc (block_header.h), a traced
//   block's header names its group, and the group is all there is: the
//   counters are small and cache-resident where an address-keyed table costs
//   a cache miss on every malloc and every free.
// - Other traces (other domains, a replaced operator new's blocks, blocks
//   when headers are off) live in the trace table, keyed by address, and
//   the table's entry names its group too.
//
// Besides the live count, a group keeps what the other views of a snapshot
// show (tracemalloc::View): the allocations counted since tracing started,
// those freed by their thread before its next allocation (temporary), and
// the live count at the moment traced memory reached its current peak.  The
// last is kept exactly in O(1) per change without copying anything at a new
// peak: each new peak (and reset_peak()) starts a new peak epoch; a group
// changing for the first time in an epoch first saves its live count, which
// is then its count at the peak; a group unchanged since reads its live
// count.  Under threads the peak view can differ from the peak figure by the
// blocks other threads were allocating or freeing at that instant (a group
// changes under its lock just before traced memory does): at most one block
// per thread.
//
// A group is named by a 32-bit index (0: no group) that stays valid until
// clear_trace_groups(); the index is what a block header stores.
#ifndef TRACEMALLOC_RUNTIME_TRACE_GROUPS_H
#define TRACEMALLOC_RUNTIME_TRACE_GROUPS_H

#include <cstddef>
#include <cstdint>

#include "runtime/support/spinlock.h"
#include "runtime/tracebacks/traceback_table.h"

namespace tm_rt {

// The traces of one (domain, traceback, size): the model's TraceGroup, and
// its other views.  The key is immutable; the rest is protected by the
// group's shard lock.  One cache line.
struct TraceGroup {
  const TracebackRecord *traceback;
  uint64_t size;
  uint64_t live;          // traces now
  uint64_t allocated;     // allocations counted since start() or clear_traces()
  uint64_t temporary;     // of those, freed by their thread before its next allocation
  uint64_t live_at_peak;  // live when the peak was reached, if changed since
  uint64_t peak_epoch;    // the peak epoch of the group's last change
  uint32_t domain;
  uint32_t next;  // hash chain (local index)
};
static_assert(sizeof(TraceGroup) == 64, "one cache line");

// The group's live count when traced memory last reached its peak.
inline uint64_t live_at_peak(const TraceGroup &g, uint64_t current_peak_epoch) {
  return g.peak_epoch == current_peak_epoch ? g.live_at_peak : g.live;
}

constexpr uint32_t kGroupShards = 64;

// A group index is local * kGroupShards + shard, so the shard (and its lock)
// of a header's group is known without reading any table.  Local indices
// start at 1: index 0 is "no group".
inline uint32_t group_shard_of(uint32_t index) { return index % kGroupShards; }

// Whether a trace being counted is a new allocation (the allocated view
// counts it) or one put back (restore after a failed realloc); whether one
// being uncounted is freed (it may be temporary) or moved.
enum class Counted : bool { Restored, Allocation };
enum class Uncounted : bool { Moved, Freed };

// The traces of header blocks (block_header.h); the hot path, kept in one
// translation unit.
//
// Counts `block` in the group of (0, traceback, size) and names the group in
// its header, unless tracing stopped or the session changed since `session`
// was read.  A trace the header already carries is replaced.  False only
// when no group could be made (out of table memory).
bool store_in_header(void *block, uint64_t size, const TracebackRecord *traceback, uint64_t session,
                     Counted how);
// Takes a block's trace out of its header, which then reads as untraced;
// false if it carried none of this session.  *removed gets the trace.
// *session gets the session it belonged to, read under the group's lock.
struct TracedBlock;
bool take_header_trace(void *block, TracedBlock *removed, uint64_t *session);
// The same without the trace (free()); false if there was none.
bool forget_header_trace(void *block, Uncounted how = Uncounted::Freed);
// The same for any address the program names (tm_track/tm_untrack of
// domain 0): the header is read without risking a fault first.
void forget_header_trace_of_any(uintptr_t address, Uncounted how);

// The traces of the trace table (trace_table.h).  Callers hold the lock of
// the trace's table shard, which comes before any group shard's.
//
// The group of (domain, traceback, size), created if needed, with its shard
// locked; nullptr with nothing locked when out of memory.
TraceGroup *lock_trace_group(uint32_t domain, const TracebackRecord *traceback, uint64_t size,
                             uint32_t *index);
// Counts a trace of `address` in a group lock_trace_group() returned (and
// raises traced memory): then unlock_group_shard(index).
void count_table_trace(TraceGroup &group, uint32_t index, uintptr_t address, uint64_t session,
                       Counted how);
// Uncounts a table trace of group `index` (its traced bytes are the
// caller's to take off).
void uncount_table_trace(uint32_t index, uintptr_t address, uint64_t session, Uncounted how);
// The traceback in the header of `block`, any pointer the program passes
// (read without risking a fault), if it carries one of this session; its
// group's shard is then locked and *locked_index names it.
const TracebackRecord *lock_header_traceback(const void *block, uint32_t *locked_index);
void unlock_group_shard(uint32_t index);

// Visits every group (all counters may be 0: a group outlives its traces).
// Requires every shard locked.
void for_each_group(void (*visit)(const TraceGroup &, void *), void *context);
// How many groups for_each_group() visits (under the same locks).
size_t group_count();
// The number of live domain-0 traces.  Requires every shard locked.
uint64_t domain0_live_traces();

// Forgets every group and returns the memory.  Requires every shard locked.
void clear_trace_groups();
// All shard locks, in index order.
void lock_group_shards();
void unlock_group_shards();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACE_GROUPS_H
