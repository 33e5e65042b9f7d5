// record.h - trace accounting, shared by the entries, the interposers and
// the API: record, forget, take and restore one block's trace.
//
// One verb per operation, everywhere in the runtime: *record* adds a trace,
// *forget* removes one, *take* removes one and hands it back (realloc), and
// *restore* puts a taken one back.
#ifndef TRACEMALLOC_RUNTIME_TRACES_RECORD_H
#define TRACEMALLOC_RUNTIME_TRACES_RECORD_H

#include <cstddef>
#include <cstdint>

#include "runtime/traces/block_header.h"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_groups.h"
#include "runtime/traces/trace_table.h"
#include "tracemalloc/abi.h"

namespace tm_rt {

// Hot path (callers hold a ReentrancyGuard and checked tracing_enabled()).
// Both preserve errno.  `from_own_malloc`: the block came from the
// process's malloc family, so it carries a header when blocks have one; a
// replaced operator new's block may not (nor even readable bytes in front),
// and its trace goes to the table.
void record_allocation(void *block, size_t size, const tm_site *site, bool from_own_malloc = true);
void forget_allocation(void *block, bool from_own_malloc = true);
// A block allocated by code not compiled with the pass (interpose.cpp):
// frame "<unknown>":0, then the instrumented callers from depth-1 down.
void record_foreign_allocation(void *block, size_t size);

void forget_table_trace(uint32_t domain, uintptr_t address);

// Whether a block of the process's malloc family carries a header: the
// runtime owns malloc and the block was allocated while tracing (a block
// allocated while not tracing is glibc's, untouched).
inline bool own_block_has_header(const void *block) {
  return block_headers_enabled() && has_header(block);
}

// Drops the trace of a block of the runtime's own malloc: the one in its
// header or, while the table holds domain-0 traces, one there.
inline void forget_own_block(void *block) {
  if (has_header(block) && header_of(block)->group && forget_header_trace(block)) return;
  if (g_runtime_state.table_domain0_traces.load(std::memory_order_relaxed)) {
    forget_table_trace(0, reinterpret_cast<uintptr_t>(block));
  }
}

// tm_track / tm_untrack (CPython's PyTraceMalloc_Track/Untrack): 0, -2 when
// not tracing, -1 when the trace cannot be stored (tracing goes on).
// Callers hold a ReentrancyGuard.
int track_block(uint32_t domain, uintptr_t address, size_t size);
int untrack_block(uint32_t domain, uintptr_t address);

// realloc support: takes the trace of `block` out (true if there was one),
// and puts a taken trace back when the reallocation failed.
struct TakenTrace {
  TracedBlock trace;
  uint64_t session;
  bool in_header;  // taken from the block's header, not from the table
};
bool take_trace(void *block, TakenTrace *taken);
void restore_trace(const TakenTrace &taken);

// The traceback of a traced block: copies up to `capacity` frames (most
// recent first) into `frames`; *nframe gets the stored frame count and
// *total_nframe the full depth.  False when not tracing or not traced.
bool object_traceback(const void *block, const tm_site **frames, uint32_t capacity,
                      uint32_t *nframe, uint32_t *total_nframe);

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACES_RECORD_H
