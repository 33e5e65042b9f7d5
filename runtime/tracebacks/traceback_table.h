// traceback_table.h - interned tracebacks.
//
// A traceback is the list of site records of a trace, most recent first, cut
// at the traceback limit, plus the depth before the cut.  Equal tracebacks
// share one record, so a trace stores one pointer and snapshots group by
// pointer.  Records live until clear_tracebacks() (called by stop() and
// clear_traces() with every trace shard locked, see traces/session.cpp).
#ifndef TRACEMALLOC_RUNTIME_TRACEBACK_TABLE_H
#define TRACEMALLOC_RUNTIME_TRACEBACK_TABLE_H

#include <cstddef>
#include <cstdint>

#include "tracemalloc/abi.h"

namespace tm_rt {

struct TracebackRecord {
  TracebackRecord *next;  // hash chain; protected by the owning shard's lock
  uint64_t hash;
  uint32_t id;            // dense, in interning order since the last clear
  uint32_t nframe;        // frames stored, >= 1
  uint32_t total_nframe;  // depth before the limit cut
  // nframe entries, most recent first; nullptr is the "<unknown>" frame.
  const tm_site *frames[1];
};

// Deepest traceback the runtime records (CPython's limit too).
constexpr int kMaxTracebackFrames = 65535;

// Fills `frames` (capacity `limit`) with the frames of an allocation at
// `site` whose callers are `callers` (most recent first; each one is itself a
// call site, expanded through its inline parents), followed by `lost_frames`
// older frames known only by number.  Returns the number of frames written;
// *total_nframe gets the full depth.  A NULL site or caller is one
// "<unknown>" frame.
uint32_t collect_frames(const tm_site *site, const tm_site *const *callers, size_t ncallers,
                        uint32_t lost_frames, uint32_t limit, const tm_site **frames,
                        uint32_t *total_nframe);

// The unique record equal to (frames, total_nframe); nullptr when out of memory.
const TracebackRecord *intern_traceback(const tm_site *const *frames, uint32_t nframe,
                                        uint32_t total_nframe);

// Frees every record.  The caller guarantees nobody can still use one.
void clear_tracebacks();
size_t traceback_count();

// pthread_atfork and clear support: all traceback shard locks.
void lock_traceback_shards();
void unlock_traceback_shards();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACEBACK_TABLE_H
