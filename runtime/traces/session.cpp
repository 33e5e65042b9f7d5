// session.cpp - the tracing session: start, stop, clear_traces, reset_peak,
// the traced-memory counters and what stops tracing when tables run out.
#include "runtime/traces/session.h"

#include <errno.h>

#include "runtime/support/internal_alloc.h"
#include "runtime/support/report.h"
#include "runtime/timeline/timeline.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/trace_groups.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {

// Constant-initialised (every member has a constexpr initialiser), so the
// interposers may read it before any constructor ran.
RuntimeState g_runtime_state;

namespace {

RuntimeState &g_state = g_runtime_state;

// Caller holds every shard lock.
void forget_all_traces() {
  for (size_t i = 0; i < kTraceShards; ++i) trace_shard_at(i).clear();
  g_state.table_domain0_traces.store(0, std::memory_order_relaxed);
  // Headers that still name a group carry the old session in their tag.
  clear_trace_groups();
  // No trace refers to a record any more, and any thread still holding one
  // from this session will see the session change and drop it.
  clear_tracebacks();
  // Every thread's delta too: a thread changes it only under a lock held here.
  discard_traced_locked();
  g_state.session.fetch_add(1, std::memory_order_release);
}

}  // namespace

namespace {
std::atomic<uint64_t> g_default_sample_bytes{0};
}

void set_default_sample_bytes(uint64_t sample_bytes) {
  g_default_sample_bytes.store(sample_bytes, std::memory_order_relaxed);
}

int start_tracing(int nframe, uint64_t sample_bytes) {
  if (nframe < 1 || nframe > kMaxTracebackFrames) return EINVAL;
  if (sample_bytes == kDefaultSampleBytes) {
    sample_bytes = g_default_sample_bytes.load(std::memory_order_relaxed);
  }
  if (sample_bytes > kMaxSampleBytes) return EINVAL;
  RuntimeState &st = g_state;
  if (st.abi_mismatch.load(std::memory_order_relaxed)) return EPERM;
  warn_if_interposers_bypassed();
  SpinLockHolder control(st.control_lock);
  // As CPython: starting while tracing changes nothing, not even the limit.
  if (st.tracing.load(std::memory_order_relaxed)) return 0;
  st.traceback_limit.store(nframe, std::memory_order_relaxed);
  lock_trace_shards();
  // 1 byte per sample is every byte: exact.
  st.sample_bytes.store(sample_bytes > 1 ? sample_bytes : 0, std::memory_order_relaxed);
  new_sample_generation();
  st.out_of_memory_reported.store(false, std::memory_order_relaxed);
  restart_timeline();
  st.tracing.store(true, std::memory_order_seq_cst);
  __atomic_store_n(&g_glibc_direct, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&g_sampled_direct,
                   sample_bytes > 1 && __atomic_load_n(&g_block_headers, __ATOMIC_RELAXED) == 1,
                   __ATOMIC_RELAXED);
  unlock_trace_shards();
  return 0;
}

void stop_tracing() {
  RuntimeState &st = g_state;
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  st.tracing.store(false, std::memory_order_seq_cst);
  __atomic_store_n(&g_sampled_direct, 0, __ATOMIC_RELAXED);
  publish_glibc_direct();
  forget_all_traces();
  unlock_trace_shards();
}

void clear_traces() {
  RuntimeState &st = g_state;
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  forget_all_traces();
  unlock_trace_shards();
}

void reset_peak() {
  RuntimeState &st = g_state;
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  reset_peak_locked();
  unlock_trace_shards();
}

void traced_memory(size_t *current, size_t *peak) {
  RuntimeState &st = g_state;
  size_t now = 0, highest = 0;
  lock_trace_shards();
  if (st.tracing.load(std::memory_order_relaxed)) {
    traced_memory_locked(&now, &highest);
  }
  unlock_trace_shards();
  if (current) *current = now;
  if (peak) *peak = highest;
}

size_t tracer_memory() {
  // Every traced block's header is the tracer's (an over-aligned block's
  // larger offset is counted as 16 bytes; untraced blocks' headers are not
  // counted, as nothing traces them).
  lock_trace_shards();
  // The groups count every live trace; the table's domain-0 ones have no header.
  const uint64_t headers =
      (domain0_live_traces() - g_state.table_domain0_traces.load(std::memory_order_relaxed)) *
      sizeof(BlockHeader);
  unlock_trace_shards();
  return internal_memory_usage() + headers;
}

void handle_out_of_memory() {
  const int saved_errno = errno;
  RuntimeState &st = g_state;
  if (!st.out_of_memory_reported.exchange(true, std::memory_order_relaxed)) {
    warn("out of memory for the trace tables; tracing stopped");
  }
  stop_tracing();
  errno = saved_errno;
}

}  // namespace tm_rt
