// session.h - the tracing session: whether tracing, the traceback limit, the
// traced-memory counters, and start/stop/clear_traces/reset_peak.
//
// Consistency rule: a trace and its bytes in its thread's batch (ThreadTraced
// below, folded into traced_current) change together under the lock of the
// trace's shard; start/stop/clear_traces change the
// session under every shard lock.  So a snapshot or get_traced_memory() taken
// with all shards locked sees traces and counters that agree exactly.
#ifndef TRACEMALLOC_RUNTIME_TRACES_SESSION_H
#define TRACEMALLOC_RUNTIME_TRACES_SESSION_H

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "runtime/support/local.h"
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
  // The sampled mode's mean bytes between samples (0: exact, every block is
  // traced).  Set by start() while not tracing; next to `tracing`, which
  // every hook reads anyway.
  std::atomic<uint64_t> sample_bytes{0};
  // Bumped by every start() and in a forked child: each thread then draws
  // its next countdown from a generator seeded anew (sampling.cpp).
  std::atomic<uint64_t> sample_generation{1};
  // The traced bytes folded so far (ThreadTraced below: each thread counts
  // its own changes and folds them in batches), the peak, its epoch and the
  // timeline's high register.  On their own cache line, which the
  // allocation path reads and writes only when a thread folds or traced
  // memory reaches a new high: every entry reads `tracing` and `session`
  // above.
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
extern RuntimeState g_runtime_state TM_RUNTIME_LOCAL;
inline RuntimeState &state() { return g_runtime_state; }

inline bool tracing_enabled() { return g_runtime_state.tracing.load(std::memory_order_relaxed); }

// Starts a new peak epoch (trace_groups.h).  A plain store, not an atomic
// increment: two threads raising the peak at once may start one epoch
// between them, which the peak view's bound under threads already allows.
inline void start_peak_epoch() {
  RuntimeState &st = g_runtime_state;
  st.peak_epoch.store(st.peak_epoch.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

// Per-thread traced bytes (thread_counters.cpp).  Each thread counts its
// own changes of traced memory in `delta` and adds them to traced_current
// only when |delta| exceeds kTracedDeltaBound, and when it exits: the
// allocation path then writes no line that other threads write.  Every
// change is made under the lock of the trace's shard or group, so with every
// shard locked traced_current plus the registered threads' deltas is exact.
// The peak is raised, at the change that makes it, to that exact sum; the
// change's thread checks it when traced_current plus its own delta exceeds
// the peak, which is exact with one thread.  Under threads the peak misses
// the others' deltas in that test: it lags the exact peak by at most
// kPeakLagBound per other thread (thread_counters.cpp), never exceeds it
// (but for the blocks being allocated at that instant), and the peak view
// agrees with it as before (trace_groups.h).  The timeline's high register
// is raised from the thread's own view (within kTracedDeltaBound per other
// thread, and kHighSlack below).
// A thread's fields are written by it, under such a lock, or by a holder of
// every lock; 40 bytes of initial-exec TLS.
struct ThreadTraced {
  // Read by other threads: atomic accesses.  Carries kUnregisteredBias (a
  // large negative number, so that a removal needs to test one end) until
  // the thread is registered (its first change), and for good once it exits
  // or cannot be registered: every change then leaves the bound and takes
  // the out-of-line path, which registers the thread or adds the change to
  // traced_current at once, with no test of the state on the hot path.
  int64_t delta;
  uint32_t state;      // thread_counters.cpp
  ThreadTraced *next;  // the registry of threads whose deltas are summed
  // The last peak check that found the exact figure below the peak: no new
  // check while traced_current is what it was then and the delta no higher
  // than this (so that a thread whose view exceeds the peak only because
  // others freed bytes they have not folded does not check at every
  // allocation).
  int64_t miss_delta;
  uint64_t miss_shared;
};
extern __thread ThreadTraced t_traced __attribute__((tls_model("initial-exec")));
constexpr int64_t kTracedDeltaBound = 24 * 1024;
constexpr int64_t kUnregisteredBias = -(int64_t{1} << 62);
// After a missed check, the growth of the delta that makes a new one due,
// at least (thread_counters.cpp).
constexpr int64_t kPeakCheckSlack = 16 * 1024;
// The most the peak can lag the exact peak, per other thread.
constexpr int64_t kPeakLagBound = 2 * kTracedDeltaBound + kPeakCheckSlack;
static_assert(kPeakLagBound == 64 * 1024, "the bound the API documents");
// Under threads, how far past the timeline's high register a thread's view
// must be to raise it (thread_counters.cpp).
constexpr size_t kHighSlack = 8 * 1024;

// Registers the thread or folds its delta (then checks the high marks when
// `raised`).  Caller holds the lock of the change.
void fold_traced(bool raised);
// Raises the timeline's high register to `now`.
void raise_interval_high(int64_t now);
// Raises the peak to the exact traced bytes if above it, starting a new
// peak epoch; `shared` and `delta` gave `now`, this thread's view.
void check_peak(int64_t now, uint64_t shared, int64_t delta);

inline bool in_delta_bound(int64_t delta) {
  return static_cast<uint64_t>(delta + kTracedDeltaBound) <= 2 * kTracedDeltaBound;
}

// The high marks after a change by this thread: its view of traced memory
// is traced_current plus its own delta.
inline void note_traced(int64_t delta) {
  const RuntimeState &st = g_runtime_state;
  const uint64_t shared = st.traced_current.load(std::memory_order_relaxed);
  const int64_t now = static_cast<int64_t>(shared) + delta;
  if (__builtin_expect(now > static_cast<int64_t>(st.interval_high.load(std::memory_order_relaxed)),
                       0)) {
    raise_interval_high(now);
  }
  if (__builtin_expect(now > static_cast<int64_t>(st.traced_peak.load(std::memory_order_relaxed)),
                       0)) {
    const ThreadTraced &t = t_traced;
    if (delta > t.miss_delta || shared != t.miss_shared) check_peak(now, shared, delta);
  }
}

// Counts `added` traced bytes and raises the peak.  Caller holds the lock of
// the group that changed, and changed it first (the peak epoch a new peak
// starts must come after the change that made it).
inline void add_traced(size_t added, size_t removed) {
  ThreadTraced &t = t_traced;
  const int64_t delta = t.delta + static_cast<int64_t>(added) - static_cast<int64_t>(removed);
  __atomic_store_n(&t.delta, delta, __ATOMIC_RELAXED);
  if (__builtin_expect(!in_delta_bound(delta), 0)) {
    fold_traced(true);
    return;
  }
  note_traced(delta);
}

// Uncounts `removed` traced bytes (a trace forgotten or moved): no new high.
// Caller holds the lock of the trace or group that changed.
inline void remove_traced(size_t removed) {
  ThreadTraced &t = t_traced;
  const int64_t delta = t.delta - static_cast<int64_t>(removed);
  __atomic_store_n(&t.delta, delta, __ATOMIC_RELAXED);
  if (__builtin_expect(delta < -kTracedDeltaBound, 0)) {
    fold_traced(false);
  }
}

// Readers; each requires every trace shard locked (lock_trace_shards()).
//
// Traced memory now, exact: traced_current plus every thread's delta.
size_t exact_traced_locked();
// Current and peak as get_traced_memory() reports them: the peak is raised
// to the current figure if it is below (under threads it may lag), with a
// new peak epoch, so the peak view agrees with it.
void traced_memory_locked(size_t *current, size_t *peak);
// stop() and clear_traces(): traced memory is 0 and every delta too.
void discard_traced_locked();
// reset_peak(): the peak is the exact figure now, with a new peak epoch.
void reset_peak_locked();
// A forked child: the deltas of the parent's other threads, which do not
// exist in the child, are folded, and they are forgotten.  Called by the
// forking thread while it still holds every lock (fork.cpp).
void adopt_traced_after_fork();
// The same figure when no lock is held (a dump's last timeline sample).
size_t exact_traced();
// The same sum without the shard locks, for a thread that may hold the lock
// of a change (the timeline's samples): exact with one thread; other threads'
// deltas are read as they are then.
size_t traced_now_unlocked();

// The sampled mode (TRACEMALLOC_SAMPLE): each allocated byte is sampled
// with probability 1/sample_bytes.  Every thread counts down the bytes to its
// next sample, drawn from an exponential distribution of that mean, so that
// an allocation that is not sampled costs a comparison and a subtraction.  A
// block holding a sample is traced (a header block, its traceback); the
// others are plain glibc blocks with no trace.  The decision is taken once
// per allocation, by its outermost hook (an entry, or an interposer called
// by foreign code), before allocating, and left in t_sampled for the nested
// hooks and for recording.
extern __thread uint64_t t_sample_countdown TM_RUNTIME_LOCAL_TLS;
extern __thread bool t_sampled TM_RUNTIME_LOCAL_TLS;

// 1 while tracing in sampled mode with block headers: the C entries'
// inline countdown test before going straight to glibc (entries.cpp).  Any
// value is safe at any time: the paths it selects are right whether
// tracing or not.
extern uint8_t g_sampled_direct TM_RUNTIME_LOCAL;
inline bool sampled_direct() { return __atomic_load_n(&g_sampled_direct, __ATOMIC_RELAXED) != 0; }

inline uint64_t sample_bytes() {
  return g_runtime_state.sample_bytes.load(std::memory_order_relaxed);
}

// The countdown crossed zero (or was never drawn in this generation): out of
// line, it redraws the countdown and says whether the block is sampled.
bool sample_crossing(size_t size);

// Decides whether the allocation of `size` bytes about to be made is traced:
// always in exact mode; in sampled mode when it holds a sample.
inline bool sample_allocation(size_t size) {
  if (__builtin_expect(sample_bytes() == 0, 1)) return true;
  if (__builtin_expect(size < t_sample_countdown, 1)) {
    t_sample_countdown -= size;
    t_sampled = false;
    return false;
  }
  return t_sampled = sample_crossing(size);
}

// The decision of sample_allocation() for the allocation in progress.
inline bool sampled_now() { return sample_bytes() == 0 || t_sampled; }

// The unbiased estimate of the bytes a sampled block of `size` bytes
// stands for: size / (1 - exp(-size / mean)), rounded to the nearest.
size_t sampled_estimate(size_t size, uint64_t mean);
// What a trace of `size` bytes adds to get_traced_memory(): its size, or in
// sampled mode its estimate, so that current and peak are estimates too.
inline size_t traced_bytes(size_t size) {
  const uint64_t mean = sample_bytes();
  return __builtin_expect(mean == 0, 1) ? size : sampled_estimate(size, mean);
}

// The seed of the sampled mode's generators: TRACEMALLOC_SAMPLE_SEED, or
// (seed < 0) one from the clock and the process.
void set_sample_seed(int64_t seed);
// A forked child's threads draw from new generators (as the parent's go on).
void reseed_samples_after_fork();
// Every thread seeds its generator anew (from the seed, the generation and
// its order of arrival) at its next crossing; start() calls it.
void new_sample_generation();

// API operations; same meanings as tracemalloc's functions.  start() returns
// 0, or an errno value (EINVAL: bad nframe; EPERM: ABI mismatch).
// `sample_bytes`: 0 for exact tracing, else the sampled mode's rate;
// kDefaultSampleBytes for TRACEMALLOC_SAMPLE's (exact if unset).
constexpr uint64_t kDefaultSampleBytes = ~uint64_t{0};
constexpr uint64_t kMaxSampleBytes = uint64_t{1} << 40;
int start_tracing(int nframe, uint64_t sample_bytes = kDefaultSampleBytes);
void set_default_sample_bytes(uint64_t sample_bytes);
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
