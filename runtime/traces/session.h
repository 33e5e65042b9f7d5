// session.h - the tracing session: whether tracing, the traceback limit, the
// traced-memory counters, and start/stop/clear_traces/reset_peak.
//
// Consistency rule: a trace and its bytes in traced_current change together
// under the lock of the trace's shard; start/stop/clear_traces change the
// session under every shard lock.  So a snapshot or get_traced_memory() taken
// with all shards locked sees traces and counters that agree exactly.
#ifndef TRACEMALLOC_RUNTIME_TRACES_SESSION_H
#define TRACEMALLOC_RUNTIME_TRACES_SESSION_H

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/support/spinlock.h"
#include "tracemalloc/abi.h"

namespace tm_rt {

struct RuntimeState {
  // Read without a lock on every entry (relaxed: a stale value only means an
  // allocation racing with start/stop is or is not traced; the shard lock
  // re-check below decides).  Written under every shard lock.
  std::atomic<bool> tracing{false};
  // Bumped by stop() and clear_traces() under every shard lock: an
  // allocation that interned its traceback in an older session drops its
  // trace instead of storing a pointer to a freed record.
  std::atomic<uint64_t> session{0};
  // Set by start() while not tracing (under control_lock); CPython keeps it
  // after stop(), and start() while tracing leaves it alone.
  std::atomic<int> traceback_limit{1};
  // Updated under the lock of the shard whose trace changed; read anywhere.
  // On their own cache line: every traced allocation and free writes them,
  // and every entry reads `tracing` and `session` above.
  alignas(64) std::atomic<size_t> traced_current{0};
  std::atomic<size_t> traced_peak{0};
  // Starts anew at each new peak and at reset_peak(): the peak view's clock
  // (trace_groups.h).  Written by the thread that raised the peak.
  std::atomic<uint64_t> peak_epoch{0};
  // The highest traced bytes since the timeline's last sample, which starts
  // it over from the traced bytes then (timeline/timeline.h).
  std::atomic<size_t> interval_high{0};
  // Set once by __tm_register_module on an ABI mismatch; never cleared.
  alignas(64) std::atomic<bool> abi_mismatch{false};
  // Set once when the runtime ran out of memory for its tables.
  std::atomic<bool> out_of_memory_reported{false};
  // Domain-0 traces in the trace table while blocks carry headers (blocks
  // of a replaced operator new, tm_track(0, ...)): frees look the table up
  // only when there are some.  Changed under the trace's shard lock.
  std::atomic<size_t> table_domain0_traces{0};
  // Serialises start/stop/clear_traces/snapshots (a snapshot reads
  // traceback records after releasing the shard locks).
  SpinLock control_lock;
};

// Defined in session.cpp; inline access keeps the check on every entry and
// interposer to one load.
extern RuntimeState g_runtime_state;
inline RuntimeState &state() { return g_runtime_state; }

inline bool tracing_enabled() { return g_runtime_state.tracing.load(std::memory_order_relaxed); }

// Starts a new peak epoch (trace_groups.h).  A plain store, not an atomic
// increment: two threads raising the peak at once may start one epoch
// between them, which the peak view's bound under threads already allows.
inline void start_peak_epoch() {
  RuntimeState &st = g_runtime_state;
  st.peak_epoch.store(st.peak_epoch.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

// Counts `added` traced bytes and raises the peak.  Caller holds the lock of
// the group that changed, and changed it first.
inline void add_traced(size_t added, size_t removed) {
  RuntimeState &st = g_runtime_state;
  if (removed) st.traced_current.fetch_sub(removed, std::memory_order_relaxed);
  const size_t now = st.traced_current.fetch_add(added, std::memory_order_relaxed) + added;
  size_t high = st.interval_high.load(std::memory_order_relaxed);
  while (now > high &&
         !st.interval_high.compare_exchange_weak(high, now, std::memory_order_relaxed)) {
  }
  size_t peak = st.traced_peak.load(std::memory_order_relaxed);
  while (now > peak) {
    if (st.traced_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
      start_peak_epoch();
      break;
    }
  }
}

// API operations; same meanings as tracemalloc's functions.  start() returns
// 0, or an errno value (EINVAL: bad nframe; EPERM: ABI mismatch).
int start_tracing(int nframe);
void stop_tracing();
void clear_traces();
void reset_peak();
void traced_memory(size_t *current, size_t *peak);

// get_tracemalloc_memory(): the tables plus the headers of traced blocks.
size_t tracer_memory();

// Called when a table cannot get memory: one warning, tracing stops.
void handle_out_of_memory();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TRACES_SESSION_H
