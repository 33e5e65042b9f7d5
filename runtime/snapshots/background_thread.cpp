// background_thread.cpp - the runtime's one thread, for dumps on demand
// (TRACEMALLOC_DUMP_SIGNAL, _INTERVAL), never in an allocation hook.
//
// Taking a snapshot allocates and takes locks, which a signal handler must
// not do: the handler only sets a flag and posts a semaphore
// (async-signal-safe, no file descriptor to be closed or reused behind our
// back), and the thread, woken by it or by its timer, writes the numbered
// dump.  It exists only when dumps on demand are asked for: tracing alone,
// the timeline's samples included (timeline.h), starts no thread, which
// would make glibc take its multi-threaded paths in the program's stdio and
// malloc.  The thread holds the
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

namespace tm_rt {
namespace {

constexpr size_t kDumpThreadStackBytes = 512 * 1024;

// Posted by the signal handler (with g_dump_requested set); waited on by the
// thread.
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

void *background_thread_main(void *) {
  t_inside_runtime = true;  // for the thread's whole life: never traced
  timespec dump_deadline = plus_ms(monotonic_now(), g_interval_ms);
  for (;;) {
    const int waited = g_interval_ms ? sem_clockwait(&g_wakeup, CLOCK_MONOTONIC, &dump_deadline)
                                     : sem_wait(&g_wakeup);
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
    warn("cannot start the runtime's background thread; no dumps on demand");
    return false;
  }
  return true;
}

// ThreadSanitizer kills a process that starts a thread in the child of a
// multi-threaded fork ("not supported"): in TSan builds a forked child runs
// without the thread (no dumps on demand).
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
// and its own thread (its dumps go to its own %p path).  A launch in progress in another thread of
// the parent left the start lock held: the child's is new.
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

void stop_dump_thread() {
  g_stopping.store(true);
  while (g_dump_in_progress.load()) sched_yield();
}

}  // namespace tm_rt
