// timeline.h - memory over time: samples of traced memory and RSS taken by
// the background thread while tracing (TRACEMALLOC_TIMELINE).
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

// The background thread's: appends a sample of now (halving the buffer when
// full), and the time until the next one is due, in milliseconds.
void take_timeline_sample();
uint64_t timeline_period_ms();

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
