// background_thread.cpp - the runtime's one thread: dumps on demand
// (TRACEMALLOC_DUMP_SIGNAL, _INTERVAL) and the timeline's samples
// (TRACEMALLOC_TIMELINE), never in an allocation hook.
//
// Taking a snapshot allocates and takes locks, which a signal handler must
// not do: the handler only sets a flag and posts a semaphore
// (async-signal-safe, no file descriptor to be closed or reused behind our
// back), and the thread, woken by it or by its timers, writes the numbered
// dump.  It exists only once tracing started or dumps on demand were asked
// for: a program that never traces gets no thread.  The thread holds the
// reentrancy guard for its whole life, so nothing it allocates is traced,
// and its stack comes from the runtime's own memory so that
// get_tracemalloc_memory() counts it.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <new>

#include "runtime/snapshots/dump.h"
#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/support/report.h"
#include "runtime/support/spinlock.h"
#include "runtime/timeline/timeline.h"
#include "runtime/traces/session.h"

namespace tm_rt {
namespace {

constexpr size_t kDumpThreadStackBytes = 512 * 1024;

// Posted by the signal handler (with g_dump_requested set) and when tracing
// starts; waited on by the thread.
sem_t g_wakeup;
std::atomic<bool> g_dump_requested{false};
// Set by start_dump_thread() before the thread exists (and again in a
// forked child, which has no other thread of ours); read by the thread.
uint32_t g_interval_ms = 0;
// Whether the thread was launched; g_start_lock serialises launching it.
std::atomic<bool> g_started{false};
SpinLock g_start_lock;
// seq_cst pair (Dekker): the thread sets in_progress then checks stopping;
// stop_dump_thread sets stopping then waits for in_progress to clear.  So a
// dump either completes before exit's dump or never starts.
std::atomic<bool> g_stopping{false};
std::atomic<bool> g_dump_in_progress{false};

void on_dump_signal(int) {
  const int saved_errno = errno;
  g_dump_requested.store(true);
  sem_post(&g_wakeup);
  errno = saved_errno;
}

timespec monotonic_now() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now;
}

bool reached(const timespec &now, const timespec &deadline) {
  return now.tv_sec > deadline.tv_sec ||
         (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

timespec plus_ms(timespec t, uint32_t ms) {
  t.tv_sec += ms / 1000;
  t.tv_nsec += static_cast<long>(ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

void dump_unless_stopping() {
  g_dump_in_progress.store(true);
  if (!g_stopping.load()) write_numbered_dump();
  g_dump_in_progress.store(false);
}

bool sampling() { return timeline_interval_ms() && tracing_enabled(); }

const timespec &earlier(const timespec &a, const timespec &b) { return reached(a, b) ? b : a; }

void *background_thread_main(void *) {
  t_inside_runtime = true;  // for the thread's whole life: never traced
  timespec dump_deadline = plus_ms(monotonic_now(), g_interval_ms);
  timespec sample_deadline = plus_ms(monotonic_now(), static_cast<uint32_t>(timeline_period_ms()));
  bool was_sampling = sampling();
  for (;;) {
    const bool timed = g_interval_ms || was_sampling;
    const timespec &deadline = !g_interval_ms  ? sample_deadline
                               : !was_sampling ? dump_deadline
                                               : earlier(dump_deadline, sample_deadline);
    const int waited =
        timed ? sem_clockwait(&g_wakeup, CLOCK_MONOTONIC, &deadline) : sem_wait(&g_wakeup);
    if (waited != 0 && errno != ETIMEDOUT && errno != EINTR) return nullptr;
    // Signals that arrived during one dump ask for one more, not several.
    while (sem_trywait(&g_wakeup) == 0) {
    }
    bool requested = g_dump_requested.exchange(false);
    const timespec now = monotonic_now();
    if (g_interval_ms && reached(now, dump_deadline)) {
      requested = true;
      dump_deadline = plus_ms(dump_deadline, g_interval_ms);
      // After a long dump (or a stopped process) skip the missed ticks.
      if (reached(now, dump_deadline)) dump_deadline = plus_ms(now, g_interval_ms);
    }
    // Tracing (re)started: the first sample is one period away.
    const bool now_sampling = sampling();
    if (now_sampling && !was_sampling) {
      sample_deadline = plus_ms(now, static_cast<uint32_t>(timeline_period_ms()));
    } else if (now_sampling && reached(now, sample_deadline)) {
      take_timeline_sample();
      const uint32_t period = static_cast<uint32_t>(timeline_period_ms());
      sample_deadline = plus_ms(sample_deadline, period);
      if (reached(now, sample_deadline)) sample_deadline = plus_ms(now, period);
    }
    was_sampling = now_sampling;
    if (requested) dump_unless_stopping();
  }
}

// Creates the thread with every signal blocked (it inherits the mask), so
// the program's signal handlers never run on it.
bool launch_thread() {
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  int error = EAGAIN;
  if (void *stack = internal_alloc(kDumpThreadStackBytes)) {
    pthread_attr_setstack(&attributes, stack, kDumpThreadStackBytes);
    error = pthread_create(&thread, &attributes, background_thread_main, nullptr);
    // A program with a very large static TLS block does not fit in it.
    if (error != 0) internal_free(stack, kDumpThreadStackBytes);
  }
  pthread_attr_destroy(&attributes);
  if (error != 0) {
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    error = pthread_create(&thread, &attributes, background_thread_main, nullptr);
    pthread_attr_destroy(&attributes);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (error != 0) {
    warn("cannot start the runtime's background thread; no dumps on demand, no timeline");
    return false;
  }
  return true;
}

// ThreadSanitizer kills a process that starts a thread in the child of a
// multi-threaded fork ("not supported"): in TSan builds a forked child runs
// without the thread (no dumps on demand, no periodic samples; its dumps
// still end their timeline with a sample of their own).
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadsAfterFork = false;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kThreadsAfterFork = false;
#else
constexpr bool kThreadsAfterFork = true;
#endif
#else
constexpr bool kThreadsAfterFork = true;
#endif
bool g_forked_without_thread = false;

// fork() copies only the calling thread: the child gets a fresh semaphore
// and its own thread (its dumps go to its own %p path, its timeline starts
// over).  A launch in progress in another thread of the parent left the
// start lock held: the child's is new.
void restart_in_child() {
  new (&g_start_lock) SpinLock;
  if (!g_started.load()) return;
  ReentrancyGuard guard;
  sem_init(&g_wakeup, 0, 0);
  g_dump_in_progress.store(false);
  if (!kThreadsAfterFork) {
    g_forked_without_thread = true;
    return;
  }
  if (!g_stopping.load()) launch_thread();
}

// The semaphore, once, before a handler or a thread can use it.  Requires
// g_start_lock.
bool g_semaphore_ready = false;
void prepare_semaphore() {
  if (g_semaphore_ready) return;
  sem_init(&g_wakeup, 0, 0);
  g_semaphore_ready = true;
}

// Launches the thread once; false if it could not be.
bool launch_once() {
  SpinLockHolder hold(g_start_lock);
  if (g_started.load()) return true;
  if (g_forked_without_thread) return false;
  prepare_semaphore();
  if (!launch_thread()) return false;
  g_started.store(true);
  pthread_atfork(nullptr, nullptr, restart_in_child);
  return true;
}

}  // namespace

void start_dump_thread(int signal_number, uint32_t interval_ms) {
  g_interval_ms = interval_ms;
  {
    SpinLockHolder hold(g_start_lock);
    prepare_semaphore();
  }
  if (signal_number) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_dump_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(signal_number, &action, nullptr) != 0) {
      warn("cannot handle TRACEMALLOC_DUMP_SIGNAL; no dumps on that signal");
      if (!interval_ms) return;
    }
  }
  launch_once();
}

void tracing_started() {
  if (!timeline_interval_ms()) return;
  if (g_started.load()) {
    sem_post(&g_wakeup);  // to sample from now on
    return;
  }
  ReentrancyGuard guard;
  launch_once();
}

void stop_dump_thread() {
  g_stopping.store(true);
  while (g_dump_in_progress.load()) sched_yield();
}

}  // namespace tm_rt
