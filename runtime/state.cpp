// state.cpp - the tracing session: recording and forgetting traces, and the
// start/stop/clear operations that must stay consistent with them.
#include "runtime/state.h"

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runtime/internal_alloc.h"
#include "runtime/shadow_stack.h"
#include "runtime/traceback_table.h"

namespace tm_rt {
namespace {

RuntimeState g_state;

// Frames gathered on the stack; deeper tracebacks use a temporary buffer.
constexpr uint32_t kStackFrames = 64;

// Caller holds the lock of the shard that changed.
void add_traced(size_t added, size_t removed) {
  RuntimeState &st = g_state;
  if (removed) st.traced_current.fetch_sub(removed, std::memory_order_relaxed);
  const size_t now = st.traced_current.fetch_add(added, std::memory_order_relaxed) + added;
  size_t peak = st.traced_peak.load(std::memory_order_relaxed);
  while (now > peak &&
         !st.traced_peak.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

// Caller holds every shard lock.
void drop_all_traces() {
  for (size_t i = 0; i < kTraceShards; ++i) trace_shard_at(i).clear();
  // No trace refers to a record any more, and any thread still holding one
  // from this session will see the session change and drop it.
  clear_tracebacks();
  g_state.traced_current.store(0, std::memory_order_relaxed);
  g_state.traced_peak.store(0, std::memory_order_relaxed);
  g_state.session.fetch_add(1, std::memory_order_release);
}

const TracebackRecord *intern_traceback_of(const tm_site *site, const CallerSites &callers,
                                           uint32_t limit) {
  const tm_site *on_stack[kStackFrames];
  uint32_t total = 0;
  uint32_t n = collect_frames(site, callers.sites, callers.count, callers.overwritten,
                              std::min(limit, kStackFrames), on_stack, &total);
  if (limit <= kStackFrames || total <= kStackFrames) return intern_traceback(on_stack, n, total);
  const uint32_t wanted = std::min(limit, total);
  auto **deep = static_cast<const tm_site **>(internal_alloc(sizeof(const tm_site *) * wanted));
  if (!deep) return nullptr;
  n = collect_frames(site, callers.sites, callers.count, callers.overwritten, wanted, deep, &total);
  const TracebackRecord *record = intern_traceback(deep, n, total);
  internal_free(deep, sizeof(const tm_site *) * wanted);
  return record;
}

// The traceback this thread interned last for an allocation without callers
// on the shadow stack, keyed by its site, limit and session: allocation loops
// then skip the traceback shard lock, which all
// threads allocating from one site would otherwise contend on.  The record
// is not dereferenced on a hit; record_allocation re-checks the session under
// the shard lock before storing it, so a freed record is never stored.
// Thread-local, so unshared; small, as initial-exec TLS must be.
struct LastTraceback {
  const tm_site *site;
  const TracebackRecord *record;
  uint64_t session;
  uint32_t limit;
};
__thread LastTraceback t_last_traceback __attribute__((tls_model("initial-exec")));

const TracebackRecord *traceback_of(const tm_site *site, uint32_t limit, uint64_t session) {
  CallerSites callers;
  current_callers(site, &callers);
  if (callers.count != 0 || callers.overwritten != 0) {
    return intern_traceback_of(site, callers, limit);
  }
  LastTraceback &last = t_last_traceback;
  if (last.record && last.site == site && last.session == session && last.limit == limit) {
    return last.record;
  }
  const TracebackRecord *record = intern_traceback_of(site, callers, limit);
  if (record) last = LastTraceback{site, record, session, limit};
  return record;
}

}  // namespace

RuntimeState &state() { return g_state; }

void record_allocation(void *block, size_t size, const tm_site *site) {
  const int saved_errno = errno;
  RuntimeState &st = g_state;
  const uint64_t session = st.session.load(std::memory_order_acquire);
  const uint32_t limit = static_cast<uint32_t>(st.traceback_limit.load(std::memory_order_relaxed));
  const TracebackRecord *traceback = traceback_of(site, limit, session);
  if (!traceback) {
    handle_out_of_memory();
    errno = saved_errno;
    return;
  }
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  TraceShard &shard = trace_shard_for(0, address);
  bool stored = true;
  {
    SpinLockHolder hold(shard.lock);
    if (st.tracing.load(std::memory_order_relaxed) &&
        st.session.load(std::memory_order_relaxed) == session) {
      uint64_t replaced = 0;
      stored = shard.insert(Trace{address, size, traceback, 0}, &replaced);
      if (stored) add_traced(size, replaced);
    }
  }
  if (!stored) handle_out_of_memory();
  errno = saved_errno;
}

void forget_allocation(void *block) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  TraceShard &shard = trace_shard_for(0, address);
  SpinLockHolder hold(shard.lock);
  Trace removed;
  if (shard.remove(0, address, &removed)) {
    g_state.traced_current.fetch_sub(removed.size, std::memory_order_relaxed);
  }
}

bool take_trace(void *block, TakenTrace *taken) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  TraceShard &shard = trace_shard_for(0, address);
  SpinLockHolder hold(shard.lock);
  if (!shard.remove(0, address, &taken->trace)) return false;
  taken->session = g_state.session.load(std::memory_order_relaxed);
  g_state.traced_current.fetch_sub(taken->trace.size, std::memory_order_relaxed);
  return true;
}

void restore_trace(const TakenTrace &taken) {
  const int saved_errno = errno;
  RuntimeState &st = g_state;
  TraceShard &shard = trace_shard_for(taken.trace.domain, taken.trace.address);
  bool stored = true;
  {
    SpinLockHolder hold(shard.lock);
    if (st.tracing.load(std::memory_order_relaxed) &&
        st.session.load(std::memory_order_relaxed) == taken.session) {
      uint64_t replaced = 0;
      stored = shard.insert(taken.trace, &replaced);
      if (stored) add_traced(taken.trace.size, replaced);
    }
  }
  if (!stored) handle_out_of_memory();
  errno = saved_errno;
}

int start_tracing(int nframe) {
  if (nframe < 1 || nframe > kMaxTracebackFrames) return EINVAL;
  RuntimeState &st = g_state;
  if (st.abi_mismatch.load(std::memory_order_relaxed)) return EPERM;
  SpinLockHolder control(st.control_lock);
  // As CPython: starting while tracing changes nothing, not even the limit.
  if (st.tracing.load(std::memory_order_relaxed)) return 0;
  st.traceback_limit.store(nframe, std::memory_order_relaxed);
  lock_trace_shards();
  st.out_of_memory_reported.store(false, std::memory_order_relaxed);
  st.tracing.store(true, std::memory_order_relaxed);
  unlock_trace_shards();
  return 0;
}

void stop_tracing() {
  RuntimeState &st = g_state;
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  st.tracing.store(false, std::memory_order_relaxed);
  drop_all_traces();
  unlock_trace_shards();
}

void clear_traces() {
  RuntimeState &st = g_state;
  SpinLockHolder control(st.control_lock);
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  drop_all_traces();
  unlock_trace_shards();
}

void reset_peak() {
  RuntimeState &st = g_state;
  if (!st.tracing.load(std::memory_order_relaxed)) return;
  lock_trace_shards();
  st.traced_peak.store(st.traced_current.load(std::memory_order_relaxed), std::memory_order_relaxed);
  unlock_trace_shards();
}

void traced_memory(size_t *current, size_t *peak) {
  RuntimeState &st = g_state;
  size_t now = 0, highest = 0;
  lock_trace_shards();
  if (st.tracing.load(std::memory_order_relaxed)) {
    now = st.traced_current.load(std::memory_order_relaxed);
    highest = st.traced_peak.load(std::memory_order_relaxed);
  }
  unlock_trace_shards();
  if (current) *current = now;
  if (peak) *peak = highest;
}

bool object_traceback(const void *block, const tm_site **frames, uint32_t capacity,
                      uint32_t *nframe, uint32_t *total_nframe) {
  if (!tracing_enabled() || !block) return false;
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  TraceShard &shard = trace_shard_for(0, address);
  // Copy under the shard lock: stop() frees the records under it.
  SpinLockHolder hold(shard.lock);
  const Trace *trace = shard.find(0, address);
  if (!trace) return false;
  const TracebackRecord *record = trace->traceback;
  *nframe = record->nframe;
  *total_nframe = record->total_nframe;
  std::memcpy(frames, record->frames, sizeof(const tm_site *) * std::min(capacity, record->nframe));
  return true;
}

void handle_out_of_memory() {
  RuntimeState &st = g_state;
  if (!st.out_of_memory_reported.exchange(true, std::memory_order_relaxed)) {
    static const char kMessage[] =
        "tracemalloc: out of memory for the trace tables; tracing stopped\n";
    // write(2), not stdio: this runs inside malloc.
    ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    (void)ignored;
  }
  stop_tracing();
}

void fork_prepare() {
  g_state.control_lock.lock();
  lock_trace_shards();
  lock_traceback_shards();
  internal_alloc_lock();
}

void fork_unlock() {
  internal_alloc_unlock();
  unlock_traceback_shards();
  unlock_trace_shards();
  g_state.control_lock.unlock();
}

}  // namespace tm_rt
