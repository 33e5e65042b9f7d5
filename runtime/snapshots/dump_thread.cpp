// dump_thread.cpp - dumps on demand (TRACEMALLOC_DUMP_SIGNAL, _INTERVAL).
//
// Taking a snapshot allocates and takes locks, which a signal handler must
// not do: the handler only posts a semaphore (async-signal-safe, no file
// descriptor to be closed or reused behind our back), and a background
// thread, woken by it or by its timer, writes the numbered dump.  The thread
// holds the reentrancy guard for its whole life, so nothing it allocates is
// traced, and its stack comes from the runtime's own memory so that
// get_tracemalloc_memory() counts it.
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include "runtime/snapshots/dump.h"
#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/support/report.h"

namespace tm_rt {
namespace {

constexpr size_t kDumpThreadStackBytes = 512 * 1024;

// Posted by the signal handler, waited on by the dump thread.
sem_t g_wakeup;
// Set once by start_dump_thread() before the thread exists (and again in a
// forked child, which has no other thread of ours); read by the thread.
uint32_t g_interval_ms = 0;
bool g_started = false;
// seq_cst pair (Dekker): the thread sets in_progress then checks stopping;
// stop_dump_thread sets stopping then waits for in_progress to clear.  So a
// dump either completes before exit's dump or never starts.
std::atomic<bool> g_stopping{false};
std::atomic<bool> g_dump_in_progress{false};

void on_dump_signal(int) {
  const int saved_errno = errno;
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

void *dump_thread_main(void *) {
  t_inside_runtime = true;  // for the thread's whole life: never traced
  timespec deadline = plus_ms(monotonic_now(), g_interval_ms);
  for (;;) {
    const int waited =
        g_interval_ms ? sem_clockwait(&g_wakeup, CLOCK_MONOTONIC, &deadline) : sem_wait(&g_wakeup);
    bool requested = waited == 0;
    if (waited != 0 && errno != ETIMEDOUT && errno != EINTR) return nullptr;
    // Signals that arrived during one dump ask for one more, not several.
    while (sem_trywait(&g_wakeup) == 0) requested = true;
    if (g_interval_ms) {
      const timespec now = monotonic_now();
      if (reached(now, deadline)) {
        requested = true;
        deadline = plus_ms(deadline, g_interval_ms);
        // After a long dump (or a stopped process) skip the missed ticks.
        if (reached(now, deadline)) deadline = plus_ms(now, g_interval_ms);
      }
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
    error = pthread_create(&thread, &attributes, dump_thread_main, nullptr);
    // A program with a very large static TLS block does not fit in it.
    if (error != 0) internal_free(stack, kDumpThreadStackBytes);
  }
  pthread_attr_destroy(&attributes);
  if (error != 0) {
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    error = pthread_create(&thread, &attributes, dump_thread_main, nullptr);
    pthread_attr_destroy(&attributes);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (error != 0) {
    warn("cannot start the dump thread; no dumps on demand");
    return false;
  }
  return true;
}

// fork() copies only the calling thread: the child gets a fresh semaphore
// and its own dump thread (its dumps go to its own %p path).
void restart_in_child() {
  if (!g_started) return;
  ReentrancyGuard guard;
  sem_init(&g_wakeup, 0, 0);
  g_dump_in_progress.store(false);
  if (!g_stopping.load()) launch_thread();
}

}  // namespace

void start_dump_thread(int signal_number, uint32_t interval_ms) {
  if (g_started) return;
  g_interval_ms = interval_ms;
  sem_init(&g_wakeup, 0, 0);
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
  if (!launch_thread()) return;
  g_started = true;
  pthread_atfork(nullptr, nullptr, restart_in_child);
}

void stop_dump_thread() {
  g_stopping.store(true);
  while (g_dump_in_progress.load()) sched_yield();
}

}  // namespace tm_rt
