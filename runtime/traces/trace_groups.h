// trace_groups.h - traces of header-carrying blocks, counted per group.
//
// When the runtime owns the process's malloc (block_header.h), a traced
// block's size and traceback ride in a header in front of the block, and the
// tables keep only one counter per (traceback, size): traces with equal
// domain, size and traceback are indistinguishable in every statistic of
// CPython's tracemalloc, so a snapshot loses nothing.  The counters are small and
// cache-resident where an address-keyed table costs a cache miss on every
// malloc and every free.
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

// The traces of header blocks with one traceback and size, counted (the
// model's TraceGroup, in domain 0).
struct BlockGroup {
  const TracebackRecord *traceback;  // immutable once the group exists
  uint64_t size;                     // immutable
  uint64_t count;                    // protected by the group's shard lock
  uint32_t next;                     // hash chain (local index); same lock
};

constexpr uint32_t kGroupShards = 64;

// A group index is local * kGroupShards + shard, so the shard (and its lock)
// of a header's group is known without reading any table.  Local indices
// start at 1: index 0 is "no group".
inline uint32_t group_shard_of(uint32_t index) { return index % kGroupShards; }

// The traces of header blocks (block_header.h); the hot path, kept in one
// translation unit.
//
// Counts `block` in the group of (traceback, size) and names the group in
// its header, unless tracing stopped or the session changed since `session`
// was read.  A trace the header already carries is replaced.  False only
// when no group could be made (out of table memory).
bool store_in_header(void *block, uint64_t size, const TracebackRecord *traceback,
                     uint64_t session);
// Takes a block's trace out of its header, which then reads as untraced;
// false if it carried none of this session.  *removed gets the trace.
// *session gets the session it belonged to, read under the group's lock.
struct TracedBlock;
bool take_header_trace(void *block, TracedBlock *removed, uint64_t *session);
// The same without the trace (free()); false if there was none.
bool forget_header_trace(void *block);
// The same for any address the program names (tm_track/tm_untrack of
// domain 0): the header is read without risking a fault first.
void forget_header_trace_of_any(uintptr_t address);
// The traceback in the header of `block`, any pointer the program passes
// (read without risking a fault), if it carries one of this session; its
// group's shard is then locked and *locked_index names it.
const TracebackRecord *lock_header_traceback(const void *block, uint32_t *locked_index);
void unlock_group_shard(uint32_t index);

// Visits every group with a nonzero count.  Requires every shard locked.
void for_each_live_group(void (*visit)(const BlockGroup &, void *), void *context);
// The number of blocks counted in all groups.  Requires every shard locked.
uint64_t grouped_block_count();

// Forgets every group and returns the memory.  Requires every shard locked.
void clear_trace_groups();
// All shard locks, in index order.
void lock_group_shards();
void unlock_group_shards();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACE_GROUPS_H
