// tracemalloc.hpp - public C++ API of libtracemalloc: CPython's tracemalloc
// module functions.  Where Python raises, these throw tracemalloc::Error.
#ifndef TRACEMALLOC_TRACEMALLOC_HPP
#define TRACEMALLOC_TRACEMALLOC_HPP

#if __cplusplus < 201703L
#error \
    "<tracemalloc/tracemalloc.hpp> needs C++17 (-std=c++17); from older C++ use <tracemalloc/tracemalloc.h>"
#else  // C++17

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tracemalloc/snapshot.hpp"
#include "tracemalloc/tracemalloc.h"

namespace tracemalloc {

// Throws Error if nframe < 1 or > tm_max_nframe(), or when tracing was
// disabled by an ABI version mismatch (see __tm_register_module).
void start(int nframe = 1);
// How to trace: sample_bytes as tm_start_sampled() (0: every block, exact).
struct StartOptions {
  size_t sample_bytes = 0;
};
// Starts tracing with these options: tracemalloc::start(16, {.sample_bytes = 524288})
// samples one byte in 512 KiB (estimates, see tm_start_sampled()).  start(nframe)
// samples at TRACEMALLOC_SAMPLE's rate, exact when unset.  Throws Error as
// start(), and for sample_bytes > 2^40.
void start(int nframe, const StartOptions &options);
// The session's sampled-mode rate (tm_get_sample_bytes()): 0 when exact.
size_t get_sample_bytes();
void stop();
bool is_tracing();
void clear_traces();
// (current, peak) in bytes.  Threads: current is exact; the peak is exact
// with one allocating thread, and with several never above the exact peak,
// at most 64 KiB per other allocating thread below it, and never below
// current (tm_get_traced_memory()).
std::pair<size_t, size_t> get_traced_memory();
void reset_peak();
size_t get_tracemalloc_memory();
// The limit of the last start() that started tracing (1 before any), also
// when not tracing: CPython 3.11 returns it there too.
int get_traceback_limit();
// Traceback of the block at ptr, or nullopt when not tracing or not traced.
std::optional<Traceback> get_object_traceback(const void *ptr);
// Throws Error when not tracing.  The snapshot carries the other views too
// (Snapshot::view) and the timeline up to now.
Snapshot take_snapshot();
// One view as a snapshot of its own: View::Peak, what was live when traced
// memory last reached its peak (since start(), clear_traces() or
// reset_peak()); View::Allocated, every allocation since tracing started
// (size = bytes allocated, count = allocations); View::Temporary, the
// allocations freed by their thread before its next allocation.  Throws
// Error when not tracing.
Snapshot take_snapshot(View view);
// Memory over time since tracing started (TRACEMALLOC_TIMELINE): empty when
// not tracing or when the timeline is off.
std::vector<TimelineSample> timeline();

// Blocks of custom allocators in a domain other than 0 (tm_track/tm_untrack,
// CPython's PyTraceMalloc_Track/Untrack).  false when not tracing; track
// throws std::bad_alloc when the trace cannot be stored, Error for address 0.
bool track(unsigned int domain, uintptr_t ptr, size_t size);
bool track(unsigned int domain, const void *ptr, size_t size);
bool untrack(unsigned int domain, uintptr_t ptr);
bool untrack(unsigned int domain, const void *ptr);

}  // namespace tracemalloc

#endif  // C++17

#endif  // TRACEMALLOC_TRACEMALLOC_HPP
