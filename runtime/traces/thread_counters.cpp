// thread_counters.cpp - the per-thread traced bytes of session.h: their
// registry, their folding into the shared figures, and what happens to them
// at thread exit, stop(), clear_traces() and fork().
//
// Why a registry: readers that hold every shard lock (get_traced_memory(),
// snapshots, reset_peak(), the timeline) sum the deltas of every thread, so
// the current figure they report is exact whatever the threads do, and a
// single-threaded program sees exactly what it would with one shared
// counter.  Only the peak and the timeline's high register, which must be
// raised at the change that makes them, see one thread's delta at a time.
//
// A thread's entry is its initial-exec TLS, linked in at its first change.
// It is unlinked, its delta folded, by a pthread key's destructor when the
// thread exits; later changes of that thread (another key's destructor
// freeing a block) go straight to traced_current, so an exiting thread never
// leaves a delta behind, nor an entry once its TLS is gone.
#include <pthread.h>

#include <atomic>
#include <cstdint>

#include "runtime/support/guard.h"
#include "runtime/support/spinlock.h"
#include "runtime/timeline/timeline.h"
#include "runtime/traces/session.h"
#include "runtime/traces/trace_table.h"

namespace tm_rt {

__thread ThreadTraced t_traced
    __attribute__((tls_model("initial-exec"))) = {kUnregisteredBias, 0, nullptr, 0, 0};

namespace {

// ThreadTraced::state.
enum : uint32_t {
  kUnregistered = 0,  // no change counted yet; delta biased
  kRegistered = 1,    // linked into the registry, delta within kTracedDeltaBound
  kDirect = 2,        // exiting, or no key: delta biased, every change goes to traced_current
};

// The registry: its head and length.  Changed under g_registry_lock, and
// always while the thread also holds a shard lock (its change's, or table
// shard 0 at exit), so that no thread holds it while the forking thread
// holds every shard lock.  A fold takes it too, so that a peak check that
// sums the deltas under it sees each folded delta once.
SpinLock g_registry_lock;
ThreadTraced *g_registry = nullptr;
std::atomic<uint32_t> g_registered{0};

pthread_key_t g_exit_key;
bool g_exit_key_made = false;  // written once, under g_key_once
pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

void thread_exiting(void *entry);

void make_exit_key() { g_exit_key_made = pthread_key_create(&g_exit_key, thread_exiting) == 0; }

// Made before the program's constructors run: a low key number, which glibc
// keeps in the thread itself (pthread_setspecific then never allocates).
__attribute__((constructor(101))) void make_exit_key_early() {
  pthread_once(&g_key_once, make_exit_key);
}

// Requires g_registry_lock.
void unlink_entry(ThreadTraced *entry) {
  for (ThreadTraced **link = &g_registry; *link; link = &(*link)->next) {
    if (*link == entry) {
      *link = entry->next;
      break;
    }
  }
  entry->next = nullptr;
}

// A no-miss mark: the next view above the peak is checked.
void forget_peak_miss(ThreadTraced &t) {
  t.miss_delta = INT64_MIN;
  t.miss_shared = 0;
}

// Adds `delta` bytes of this thread to traced_current and leaves `rest` in
// its delta.  Requires g_registry_lock, and the lock of a change or table
// shard 0's.
void fold_locked(ThreadTraced &t, int64_t delta, int64_t rest) {
  __atomic_store_n(&t.delta, rest, __ATOMIC_RELAXED);
  g_runtime_state.traced_current.fetch_add(static_cast<size_t>(delta), std::memory_order_relaxed);
}

// The key's destructor, run by glibc in the exiting thread while its TLS is
// still there.  Under table shard 0's lock, which every reader also holds:
// a reader sees the delta either in the entry or in traced_current.
void thread_exiting(void *entry) {
  ThreadTraced &t = *static_cast<ThreadTraced *>(entry);
  ReentrancyGuard guard;
  SpinLockHolder shard(trace_shard_at(0).lock);
  SpinLockHolder registry(g_registry_lock);
  fold_locked(t, t.delta, kUnregisteredBias);
  t.state = kDirect;
  unlink_entry(&t);
  g_registered.fetch_sub(1, std::memory_order_relaxed);
}

// Links this thread in with `delta` (unbiased); false if it cannot be (no
// key: it then counts straight into traced_current).  Caller holds the lock
// of a change and is inside the runtime (pthread_setspecific of a high key
// may call calloc).
bool register_thread(ThreadTraced &t, int64_t delta) {
  pthread_once(&g_key_once, make_exit_key);
  if (!g_exit_key_made || pthread_setspecific(g_exit_key, &t) != 0) return false;
  forget_peak_miss(t);
  SpinLockHolder registry(g_registry_lock);
  __atomic_store_n(&t.delta, delta, __ATOMIC_RELAXED);
  t.state = kRegistered;
  t.next = g_registry;
  g_registry = &t;
  g_registered.fetch_add(1, std::memory_order_relaxed);
  return true;
}

// traced_current plus every delta.  Requires g_registry_lock.
uint64_t sum_of_deltas_locked() {
  uint64_t total = g_runtime_state.traced_current.load(std::memory_order_relaxed);
  for (const ThreadTraced *t = g_registry; t; t = t->next) {
    total += static_cast<uint64_t>(__atomic_load_n(&t->delta, __ATOMIC_RELAXED));
  }
  return total;
}

// Requires every shard lock.
void forget_peak_misses_locked() {
  SpinLockHolder registry(g_registry_lock);
  for (ThreadTraced *t = g_registry; t; t = t->next) forget_peak_miss(*t);
}

}  // namespace

void raise_interval_high(int64_t now) {
  RuntimeState &st = g_runtime_state;
  const size_t value = static_cast<size_t>(now);
  size_t high = st.interval_high.load(std::memory_order_relaxed);
  // Under threads a view can climb past the register at every allocation
  // (another thread's frees not folded yet): it is raised only by
  // kHighSlack or more, so that such a thread writes the shared line once
  // per kHighSlack bytes.  Alone, the thread's view is exact, and so is
  // the register.
  const uint32_t others =
      g_registered.load(std::memory_order_relaxed) - (t_traced.state == kRegistered ? 1 : 0);
  if (others != 0 && value <= high + kHighSlack) return;
  while (value > high &&
         !st.interval_high.compare_exchange_weak(high, value, std::memory_order_relaxed)) {
  }
}

void check_peak(int64_t now, uint64_t shared, int64_t delta) {
  ThreadTraced &t = t_traced;
  // The view is exact when no other thread has a delta.
  const uint32_t others =
      g_registered.load(std::memory_order_relaxed) - (t.state == kRegistered ? 1 : 0);
  int64_t exact = now;
  if (others != 0) {
    SpinLockHolder registry(g_registry_lock);
    exact = static_cast<int64_t>(sum_of_deltas_locked());
  }
  RuntimeState &st = g_runtime_state;
  size_t peak = st.traced_peak.load(std::memory_order_relaxed);
  if (exact <= static_cast<int64_t>(peak)) {
    // Until traced_current changes, the exact figure can reach the peak
    // only by this thread's growth of (peak - exact) or others' changes of
    // their deltas: check again after the former, or kPeakCheckSlack.
    const int64_t below = static_cast<int64_t>(peak) - exact;
    t.miss_delta = delta + (below > kPeakCheckSlack ? below : kPeakCheckSlack);
    t.miss_shared = shared;
    return;
  }
  const size_t value = static_cast<size_t>(exact);
  while (value > peak) {
    if (st.traced_peak.compare_exchange_weak(peak, value, std::memory_order_relaxed)) {
      start_peak_epoch();
      break;
    }
  }
}

void fold_traced(bool raised) {
  ThreadTraced &t = t_traced;
  int64_t delta = t.delta;
  int64_t rest = 0;
  if (t.state != kRegistered) {
    delta -= kUnregisteredBias;
    if (t.state == kUnregistered) {
      // The thread's first change: once registered, a change within the
      // bound stays in its delta.
      const bool kept = in_delta_bound(delta);
      if (register_thread(t, kept ? delta : 0)) {
        if (kept) {
          if (raised) note_traced(delta);
          return;
        }
      } else {
        t.state = kDirect;
      }
    }
    if (t.state == kDirect) rest = kUnregisteredBias;
  }
  {
    SpinLockHolder registry(g_registry_lock);
    fold_locked(t, delta, rest);
  }
  if (raised) note_traced(0);
  sample_timeline_if_due();
}

size_t exact_traced_locked() {
  SpinLockHolder registry(g_registry_lock);
  return static_cast<size_t>(sum_of_deltas_locked());
}

size_t traced_now_unlocked() { return exact_traced_locked(); }

size_t exact_traced() {
  lock_trace_shards();
  const size_t total = exact_traced_locked();
  unlock_trace_shards();
  return total;
}

void traced_memory_locked(size_t *current, size_t *peak) {
  RuntimeState &st = g_runtime_state;
  *current = exact_traced_locked();
  *peak = st.traced_peak.load(std::memory_order_relaxed);
  // Only under threads: a thread's view missed the others' deltas.
  if (*current > *peak) {
    *peak = *current;
    st.traced_peak.store(*peak, std::memory_order_relaxed);
    start_peak_epoch();
  }
}

void reset_peak_locked() {
  RuntimeState &st = g_runtime_state;
  st.traced_peak.store(exact_traced_locked(), std::memory_order_relaxed);
  // The peak view restarts from what is live now.
  start_peak_epoch();
  // A miss was measured against the old peak.
  forget_peak_misses_locked();
}

void discard_traced_locked() {
  RuntimeState &st = g_runtime_state;
  st.traced_current.store(0, std::memory_order_relaxed);
  st.traced_peak.store(0, std::memory_order_relaxed);
  SpinLockHolder registry(g_registry_lock);
  for (ThreadTraced *t = g_registry; t; t = t->next) {
    __atomic_store_n(&t->delta, 0, __ATOMIC_RELAXED);
    forget_peak_miss(*t);
  }
}

void adopt_traced_after_fork() {
  // The parent's threads' TLS was copied with the rest of the memory: their
  // deltas, as of the fork, are still readable.
  size_t folded = exact_traced_locked();
  SpinLockHolder registry(g_registry_lock);
  for (ThreadTraced *t = g_registry; t;) {
    ThreadTraced *next = t->next;
    __atomic_store_n(&t->delta, 0, __ATOMIC_RELAXED);
    t->next = nullptr;
    t = next;
  }
  g_registry = nullptr;
  g_registered.store(0, std::memory_order_relaxed);
  g_runtime_state.traced_current.store(folded, std::memory_order_relaxed);
  // The forking thread stays registered (its key's value was inherited).
  ThreadTraced &own = t_traced;
  forget_peak_miss(own);
  if (own.state == kRegistered) {
    g_registry = &own;
    g_registered.store(1, std::memory_order_relaxed);
  }
}

}  // namespace tm_rt
