// timeline.cpp - the timeline's buffer, its halving, and one sample.
#include "runtime/timeline/timeline.h"

#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "runtime/support/internal_alloc.h"
#include "runtime/support/spinlock.h"
#include "runtime/traces/session.h"

namespace tm_rt {
namespace {

// Protected by g_lock; the buffer comes from the runtime's own memory on the
// first sample, so a program that never traces holds none.
SpinLock g_lock;
tracemalloc::TimelineSample *g_samples = nullptr;
uint32_t g_count = 0;
uint32_t g_stride = 1;  // the sampling period, in TRACEMALLOC_TIMELINE intervals
uint64_t g_start_ns = 0;
// When the next sample is due, on the coarse clock; read without g_lock by
// every fold (sample_timeline_if_due), written under it.
std::atomic<uint64_t> g_next_due_ns{UINT64_MAX};
// Set once at start-up.
uint32_t g_interval_ms = kDefaultTimelineMs;

uint64_t ns_of(const timespec &t) {
  return static_cast<uint64_t>(t.tv_sec) * 1000000000u + static_cast<uint64_t>(t.tv_nsec);
}

uint64_t monotonic_ns() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return ns_of(now);
}

// The due test runs at every fold: the coarse clock is read from the vDSO
// whatever the clock source (a few ns; a tick, 1 to 10 ms, of resolution).
uint64_t coarse_ns() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  return ns_of(now);
}

// Requires g_lock.
void schedule_next_locked(uint64_t now_coarse) {
  g_next_due_ns.store(now_coarse + static_cast<uint64_t>(g_interval_ms) * g_stride * 1000000u,
                      std::memory_order_relaxed);
}

// The resident set size from /proc/self/statm (its second field, in pages);
// 0 when unreadable.  The file is opened for each sample: a descriptor kept
// open could be closed or replaced by the program.
uint64_t resident_bytes() {
  const int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[128];
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return 0;
  text[n] = '\0';
  char *end = nullptr;
  std::strtoull(text, &end, 10);  // size
  const unsigned long long pages = std::strtoull(end, nullptr, 10);
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// Merges neighbouring samples in pairs.  Requires g_lock.
void halve() {
  for (uint32_t i = 0; i + 1 < g_count; i += 2) {
    const tracemalloc::TimelineSample &a = g_samples[i], &b = g_samples[i + 1];
    g_samples[i / 2] = tracemalloc::TimelineSample{b.time_s, b.current, std::max(a.high, b.high),
                                                   std::max(a.rss, b.rss)};
  }
  if (g_count % 2) g_samples[g_count / 2] = g_samples[g_count - 1];
  g_count = (g_count + 1) / 2;
  g_stride *= 2;
}

// A sample of now, but for its time, of `current` traced bytes (read before
// g_lock: exact_traced() takes the shard locks, which come before it).
// `reset_high`: the high register starts over from the traced bytes now (a
// stored sample), or is only read.
tracemalloc::TimelineSample sample_of_now(size_t current, uint64_t rss, bool reset_high) {
  RuntimeState &st = state();
  tracemalloc::TimelineSample s;
  s.current = current;
  const size_t high = reset_high ? st.interval_high.exchange(s.current, std::memory_order_relaxed)
                                 : st.interval_high.load(std::memory_order_relaxed);
  s.high = std::max<uint64_t>(high, s.current);
  s.rss = rss;
  return s;
}

}  // namespace

void set_timeline_interval_ms(uint32_t milliseconds) { g_interval_ms = milliseconds; }
uint32_t timeline_interval_ms() { return g_interval_ms; }

void restart_timeline() {
  SpinLockHolder hold(g_lock);
  g_count = 0;
  g_stride = 1;
  g_start_ns = monotonic_ns();
  if (g_interval_ms) schedule_next_locked(coarse_ns());
  // Exact without the threads' deltas: when tracing starts they are all 0,
  // and a forked child has just folded them.
  state().interval_high.store(state().traced_current.load(std::memory_order_relaxed),
                              std::memory_order_relaxed);
}

uint64_t tracing_elapsed_ns() {
  SpinLockHolder hold(g_lock);
  return monotonic_ns() - g_start_ns;
}

void sample_timeline_if_due() {
  if (__builtin_expect(coarse_ns() < g_next_due_ns.load(std::memory_order_relaxed), 1)) return;
  // The program's errno is its own: a sample's open() or read() may fail.
  const int saved_errno = errno;
  const uint64_t rss = resident_bytes();
  const size_t current = traced_now_unlocked();
  {
    SpinLockHolder hold(g_lock);
    const uint64_t now_coarse = coarse_ns();
    // Another thread took it meanwhile, or tracing stopped.
    if (now_coarse < g_next_due_ns.load(std::memory_order_relaxed) || !tracing_enabled()) {
      errno = saved_errno;
      return;
    }
    if (!g_samples) {
      g_samples = static_cast<tracemalloc::TimelineSample *>(
          internal_alloc(sizeof(tracemalloc::TimelineSample) * kTimelineCapacity));
    }
    if (g_samples) {  // else no memory: no timeline, tracing goes on
      if (g_count == kTimelineCapacity) halve();
      tracemalloc::TimelineSample s = sample_of_now(current, rss, true);
      s.time_s = static_cast<double>(monotonic_ns() - g_start_ns) / 1e9;
      g_samples[g_count++] = s;
    }
    schedule_next_locked(now_coarse);
  }
  errno = saved_errno;
}

std::vector<tracemalloc::TimelineSample> copy_timeline(bool sample_now) {
  std::vector<tracemalloc::TimelineSample> out;
  if (!g_interval_ms) return out;
  const uint64_t rss = sample_now ? resident_bytes() : 0;
  const size_t current = sample_now ? exact_traced() : 0;
  out.reserve(kTimelineCapacity + 1);  // outside the lock: it may allocate
  SpinLockHolder hold(g_lock);
  out.assign(g_samples, g_samples + (g_samples ? g_count : 0));
  if (sample_now) {
    tracemalloc::TimelineSample s = sample_of_now(current, rss, false);
    s.time_s = static_cast<double>(monotonic_ns() - g_start_ns) / 1e9;
    if (!out.empty()) s.time_s = std::max(s.time_s, out.back().time_s);
    out.push_back(s);
  }
  return out;
}

void lock_timeline() { g_lock.lock(); }
void unlock_timeline() { g_lock.unlock(); }

}  // namespace tm_rt
