// record.cpp - trace accounting: recording a block's trace (in its header
// or in the trace table), forgetting it, and moving it across a realloc.
#include "runtime/traces/record.h"

#include <errno.h>

#include <algorithm>
#include <cstring>

#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/support/thread_page.h"
#include "runtime/tracebacks/shadow_stack.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/block_header.h"
#include "runtime/traces/trace_groups.h"

namespace tm_rt {
namespace {

RuntimeState &g_state = g_runtime_state;

// Frames gathered on the stack; deeper tracebacks use a temporary buffer.
constexpr uint32_t kStackFrames = 64;

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

// The tracebacks this thread interned last, keyed by everything the
// interned record depends on: the allocation's site, the limit, the session
// and the callers read from the shadow stack (every slot, since the total
// frame count depends on them all).  Allocation loops and repeated calls
// from one place then skip hashing the frames and the traceback shard's
// lock, which all threads allocating from one place would otherwise contend
// on.  A record is not dereferenced on a hit; record_allocation re-checks
// the session under the group's lock before storing it, so a freed record
// is never stored.  Direct-mapped by site and innermost caller, in the
// thread's page (thread_page.h); without a page every traceback is interned.  An
// allocation with no callers (all of a program's allocations in main, or
// a loop's) is the most common key of all: its last traceback is kept in
// TLS, read without going to the page.
struct LastTraceback {
  const tm_site *site;
  const TracebackRecord *record;
  uint64_t session;
  uint32_t limit;
};
__thread LastTraceback t_last_traceback __attribute__((tls_model("initial-exec")));
struct TracebackMemo {
  const tm_site *site;
  const TracebackRecord *record;
  uint64_t session;
  uint32_t limit;
  uint32_t overwritten;
  size_t ncallers;
  const tm_site *callers[TM_SHADOW_STACK_CAPACITY];
};
constexpr size_t kTracebackMemos = 7;
static_assert(kTracebackMemoOffset + sizeof(TracebackMemo) * kTracebackMemos <= kThreadPageBytes,
              "the memos fit in the thread's page");

// By the site and the innermost caller: foreign code's allocations all have
// no site of their own, and differ by who called into it.
inline TracebackMemo *memo_for(const tm_site *site, const CallerSites &callers) {
  unsigned char *page = thread_page();
  if (!page) return nullptr;
  auto *memos = reinterpret_cast<TracebackMemo *>(page + kTracebackMemoOffset);
  const uintptr_t key = reinterpret_cast<uintptr_t>(site) ^
                        (callers.count ? reinterpret_cast<uintptr_t>(callers.sites[0]) * 3 : 0);
  return &memos[(key >> 3) % kTracebackMemos];
}

inline bool same_callers(const TracebackMemo &memo, const CallerSites &callers) {
  if (memo.ncallers != callers.count || memo.overwritten != callers.overwritten) return false;
  for (size_t i = 0; i < callers.count; ++i) {
    if (memo.callers[i] != callers.sites[i]) return false;
  }
  return true;
}

// The traceback of a frame `first` (expanded through its inline parents)
// whose callers are the ring slots from depth-`skip` down.
__attribute__((always_inline)) inline const TracebackRecord *traceback_of(const tm_site *first,
                                                                          uintptr_t skip,
                                                                          uint32_t limit,
                                                                          uint64_t session) {
  CallerSites callers;
  callers_below(skip, &callers);
  const bool no_callers = callers.count == 0 && callers.overwritten == 0;
  LastTraceback &last = t_last_traceback;
  if (no_callers && last.record && last.site == first && last.session == session &&
      last.limit == limit) {
    return last.record;
  }
  TracebackMemo *memo = memo_for(first, callers);
  if (memo && memo->record && memo->site == first && memo->session == session &&
      memo->limit == limit && same_callers(*memo, callers)) {
    if (no_callers) last = LastTraceback{first, memo->record, session, limit};
    return memo->record;
  }
  const TracebackRecord *record = intern_traceback_of(first, callers, limit);
  if (record && no_callers) last = LastTraceback{first, record, session, limit};
  if (record && memo) {
    memo->site = first;
    memo->record = record;
    memo->session = session;
    memo->limit = limit;
    memo->overwritten = callers.overwritten;
    memo->ncallers = callers.count;
    std::memcpy(memo->callers, callers.sites, sizeof(const tm_site *) * callers.count);
  }
  return record;
}

// Caller holds the shard's lock.
bool remove_table_trace(TraceShard &shard, uint32_t domain, uintptr_t address,
                        TracedBlock *removed) {
  if (!shard.remove(domain, address, removed)) return false;
  if (domain == 0) g_state.table_domain0_traces.fetch_sub(1, std::memory_order_relaxed);
  remove_traced(traced_bytes(removed->size));
  return true;
}

// Stores a trace in the table (and counts it in its group) unless tracing
// stopped or restarted since `session` was read.  A trace of the same key
// is replaced, as in CPython: a block freed behind the runtime's back
// (uninstrumented code) whose address came back.  False only when the
// shard or the groups could not grow.
bool store_trace(TracedBlock trace, uint64_t session, Counted how) {
  RuntimeState &st = g_state;
  TraceShard &shard = trace_shard_for(trace.domain, trace.address);
  SpinLockHolder hold(shard.lock);
  if (!st.tracing.load(std::memory_order_relaxed) ||
      st.session.load(std::memory_order_relaxed) != session) {
    return true;
  }
  TracedBlock replaced;
  if (remove_table_trace(shard, trace.domain, trace.address, &replaced)) {
    uncount_table_trace(replaced.group, replaced.address, session, Uncounted::Moved);
  }
  TraceGroup *group = lock_trace_group(trace.domain, trace.traceback, trace.size, &trace.group);
  if (!group) return false;
  uint64_t unused = 0;
  const bool stored = shard.insert(trace, &unused);
  if (stored) {
    if (trace.domain == 0) st.table_domain0_traces.fetch_add(1, std::memory_order_relaxed);
    count_table_trace(*group, trace.group, trace.address, session, how);
  }
  unlock_group_shard(trace.group);
  return stored;
}

// Removes a trace from the table (and from its group); false if there is
// none.  *session (if given) gets the session the trace belonged to, read
// under the lock.
bool take_table_trace(uint32_t domain, uintptr_t address, TracedBlock *removed, Uncounted how,
                      uint64_t *session = nullptr) {
  TraceShard &shard = trace_shard_for(domain, address);
  // The forking thread holds every lock already (see detach_locked).
  const bool lock = !t_holds_trace_locks;
  if (lock) shard.lock.lock();
  const bool found = remove_table_trace(shard, domain, address, removed);
  if (found) {
    const uint64_t current_session = g_state.session.load(std::memory_order_relaxed);
    if (session) *session = current_session;
    uncount_table_trace(removed->group, address, current_session, how);
  }
  if (lock) shard.lock.unlock();
  return found;
}

// A domain-0 trace of a block of the runtime's own malloc goes into the
// block's header when blocks have one.
inline bool store_block_trace(const TracedBlock &trace, uint64_t session, bool in_header,
                              Counted how) {
  if (in_header) {
    // A table trace at this address (tm_track(0, ...) of memory that was
    // freed untracked and came back from malloc) is replaced too.
    if (g_state.table_domain0_traces.load(std::memory_order_relaxed)) {
      TracedBlock removed;
      take_table_trace(0, trace.address, &removed, Uncounted::Moved);
    }
    return store_in_header(reinterpret_cast<void *>(trace.address), trace.size, trace.traceback,
                           session, how);
  }
  return store_trace(trace, session, how);
}

// Shared by the allocation paths: on any failure to store, tracing stops
// (one warning) and the block simply stays untraced.
// errno is left alone: the table memory (internal_alloc) and the failure
// path (handle_out_of_memory) preserve it themselves.
__attribute__((always_inline)) inline void record_block(void *block, size_t size,
                                                        const tm_site *first, uintptr_t skip,
                                                        bool in_header) {
  // Sampled mode: only the blocks the allocation's outermost hook sampled.
  if (!sampled_now()) return;
  RuntimeState &st = g_state;
  const uint64_t session = st.session.load(std::memory_order_acquire);
  const uint32_t limit = static_cast<uint32_t>(st.traceback_limit.load(std::memory_order_relaxed));
  const TracebackRecord *traceback = traceback_of(first, skip, limit, session);
  if (!traceback ||
      !store_block_trace(TracedBlock{reinterpret_cast<uintptr_t>(block), size, traceback, 0, 0},
                         session, in_header, Counted::Allocation)) {
    handle_out_of_memory();
  }
}

}  // namespace

void record_allocation(void *block, size_t size, const tm_site *site, bool from_own_malloc) {
  // A function that pushed a frame owns the slot at depth-1 (its last
  // outgoing call, stale here); otherwise depth-1 is already its caller's.
  record_block(block, size, site, (site && (site->flags & TM_SITE_OWN_SHADOW_FRAME)) ? 2 : 1,
               from_own_malloc && own_block_has_header(block));
}

void record_foreign_allocation(void *block, size_t size) {
  // The foreign code pushed nothing: depth-1 is the instrumented call into
  // it.  When that call is an indirect one that was seen, just before it,
  // to be calling an allocation function, this block is that call's own
  // (malloc through a pluggable allocator pointer): its site is the most
  // recent frame.  Any other call (printf's buffer, fopen's FILE) leaves
  // the block's own frame unknown, the call one frame up.
  const tm_site *call_site = innermost_call_site();
  if (call_site && (call_site->flags & TM_SITE_CALLS_ALLOCATOR)) {
    record_block(block, size, call_site, 2, own_block_has_header(block));
    return;
  }
  record_block(block, size, nullptr, 1, own_block_has_header(block));
}

int track_block(uint32_t domain, uintptr_t address, size_t size) {
  RuntimeState &st = g_state;
  if (!tracing_enabled()) return -2;
  // Sampled mode: a tracked block is sampled as an allocated one (its
  // statistics are scaled alike); one not sampled has no trace to untrack.
  if (!sample_allocation(size)) return 0;
  const uint64_t session = st.session.load(std::memory_order_acquire);
  const uint32_t limit = static_cast<uint32_t>(st.traceback_limit.load(std::memory_order_relaxed));
  // The caller is instrumented code that stored the site of this very call
  // at depth-1 before making it: that site is the most recent frame.
  const tm_site *call_site = innermost_call_site();
  const TracebackRecord *traceback = traceback_of(call_site, call_site ? 2 : 1, limit, session);
  if (!traceback) return -1;
  // Domain 0 is the allocation functions' own: a block of the runtime's
  // malloc that already has a trace in its header loses it (a trace with
  // the same key is replaced, as in CPython).  The new one goes to the table,
  // as `address` may be any memory, not a block with a header.
  if (domain == 0 && block_headers_enabled()) {
    forget_header_trace_of_any(address, Uncounted::Moved);
  }
  if (!store_trace(TracedBlock{address, size, traceback, domain, 0}, session,
                   Counted::Allocation)) {
    return -1;
  }
  return 0;
}

int untrack_block(uint32_t domain, uintptr_t address) {
  if (!tracing_enabled()) return -2;
  forget_table_trace(domain, address);
  if (domain == 0 && block_headers_enabled()) {
    forget_header_trace_of_any(address, Uncounted::Freed);
  }
  return 0;
}

void forget_table_trace(uint32_t domain, uintptr_t address) {
  TracedBlock removed;
  take_table_trace(domain, address, &removed, Uncounted::Freed);
}

void forget_allocation(void *block, bool from_own_malloc) {
  if (!block_headers_enabled()) return forget_table_trace(0, reinterpret_cast<uintptr_t>(block));
  if (from_own_malloc) return forget_own_block(block);
  // A replaced operator new's block: never read in front of it.
  if (g_state.table_domain0_traces.load(std::memory_order_relaxed)) {
    forget_table_trace(0, reinterpret_cast<uintptr_t>(block));
  }
}

bool take_trace(void *block, TakenTrace *taken) {
  if (block_headers_enabled()) {
    taken->in_header = true;
    if (has_header(block) && take_header_trace(block, &taken->trace, &taken->session)) return true;
    if (g_state.table_domain0_traces.load(std::memory_order_relaxed) == 0) return false;
  }
  taken->in_header = false;
  return take_table_trace(0, reinterpret_cast<uintptr_t>(block), &taken->trace, Uncounted::Moved,
                          &taken->session);
}

void restore_trace(const TakenTrace &taken) {
  const int saved_errno = errno;
  if (!store_block_trace(taken.trace, taken.session, taken.in_header, Counted::Restored)) {
    handle_out_of_memory();
  }
  errno = saved_errno;
}

bool object_traceback(const void *block, const tm_site **frames, uint32_t capacity,
                      uint32_t *nframe, uint32_t *total_nframe) {
  if (!tracing_enabled() || !block) return false;
  const uintptr_t address = reinterpret_cast<uintptr_t>(block);
  TraceShard &shard = trace_shard_for(0, address);
  // Copy under the lock of the table or group: stop() frees the records
  // under it.
  SpinLockHolder hold(shard.lock);
  const TracedBlock *trace = shard.find(0, address);
  uint32_t group_index = 0;
  const TracebackRecord *record =
      trace ? trace->traceback
            : (block_headers_enabled() ? lock_header_traceback(block, &group_index) : nullptr);
  if (!record) return false;
  *nframe = record->nframe;
  *total_nframe = record->total_nframe;
  std::memcpy(frames, record->frames, sizeof(const tm_site *) * std::min(capacity, record->nframe));
  if (group_index) unlock_group_shard(group_index);
  return true;
}

}  // namespace tm_rt
