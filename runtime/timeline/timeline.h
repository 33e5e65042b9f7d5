// timeline.h - memory over time: samples of traced memory and RSS taken
// while tracing (TRACEMALLOC_TIMELINE) by the allocating threads themselves.
//
// A sample is due once the period has passed since the previous one, and is
// taken by the next thread that folds its traced bytes into the shared
// figures (thread_counters.cpp): when its count of them has moved by
// kTracedDeltaBound since its last fold.  So the runtime needs no thread of
// its own, which would make glibc lock every stdio call and take the
// arenas' locks in every malloc of the program, and a sample costs nothing
// while traced memory stays where it is: between two samples it moved by
// less than kTracedDeltaBound per thread, and its highest value is kept in
// the high register.
//
// A sample holds the time since tracing started, the traced bytes then, the
// highest traced bytes since the previous sample (add_traced() keeps that
// register, so no spike between samples is lost) and the resident set size.
//
// Bounded for runs of days: at most kTimelineCapacity samples.  When the
// buffer is full, neighbouring samples are merged in pairs (the later one's
// time and traced bytes, the maxima of high and RSS) and the sampling period
// doubles, so the whole run stays covered at half the resolution.
#ifndef TRACEMALLOC_RUNTIME_TIMELINE_TIMELINE_H
#define TRACEMALLOC_RUNTIME_TIMELINE_TIMELINE_H

#include <cstddef>
#include <cstdint>
#include <vector>

#pragma GCC visibility push(default)
#include "tracemalloc/snapshot.hpp"
#pragma GCC visibility pop

namespace tm_rt {

constexpr uint32_t kTimelineCapacity = 4096;  // 128 KiB of samples
constexpr uint32_t kDefaultTimelineMs = 10;

// TRACEMALLOC_TIMELINE in milliseconds, 0 = off; set once at start-up.
void set_timeline_interval_ms(uint32_t milliseconds);
uint32_t timeline_interval_ms();

// Forgets every sample; time 0 is now.  Called when tracing starts and in a
// forked child (which starts its own timeline).
void restart_timeline();

// Appends a sample of now (halving the buffer when full) if one is due.
// Called by a thread that has just folded its traced bytes, which may hold
// the lock of a change: it takes no shard lock (traced_now_unlocked()), and
// keeps errno.
void sample_timeline_if_due();

// The samples so far, and with `sample_now` one more of this instant that is
// not stored (a dump's last sample; it does not reset the high register).
std::vector<tracemalloc::TimelineSample> copy_timeline(bool sample_now);

// Nanoseconds since tracing started (since restart_timeline()).
uint64_t tracing_elapsed_ns();

// pthread_atfork support.
void lock_timeline();
void unlock_timeline();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_TIMELINE_TIMELINE_H
