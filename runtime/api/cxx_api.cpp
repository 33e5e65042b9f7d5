// cxx_api.cpp - the C++ API of tracemalloc.hpp.  Where CPython raises,
// these throw tracemalloc::Error with CPython's message.
#include <cerrno>
#include <new>
#include <string>
#include <vector>

#pragma GCC visibility push(default)
#include "tracemalloc/tracemalloc.hpp"
#pragma GCC visibility pop

#include "runtime/snapshots/dump.h"
#include "runtime/snapshots/snapshot.h"
#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/timeline/timeline.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"

namespace tracemalloc {

using tm_rt::ReentrancyGuard;

namespace {
void start_with(int nframe, uint64_t sample_bytes) {
  ReentrancyGuard guard;
  const int error = tm_rt::start_tracing(nframe, sample_bytes);
  if (error == EINVAL && sample_bytes > tm_rt::kMaxSampleBytes &&
      sample_bytes != tm_rt::kDefaultSampleBytes) {
    throw Error("the sample rate must be at most 2^40 bytes");
  }
  if (error == EINVAL) {
    throw Error("the number of frames must be in range [1; " +
                std::to_string(tm_rt::kMaxTracebackFrames) + "]");
  }
  if (error != 0) {
    throw Error(
        "tracing is disabled: a module was instrumented for a different TraceMalloc ABI version");
  }
}
}  // namespace

void start(int nframe) { start_with(nframe, tm_rt::kDefaultSampleBytes); }

void start(int nframe, const StartOptions &options) { start_with(nframe, options.sample_bytes); }

size_t get_sample_bytes() { return tm_rt::sample_bytes(); }

void stop() {
  ReentrancyGuard guard;
  tm_rt::stop_tracing();
}

bool is_tracing() { return tm_rt::tracing_enabled(); }

void clear_traces() {
  ReentrancyGuard guard;
  tm_rt::clear_traces();
}

std::pair<size_t, size_t> get_traced_memory() {
  ReentrancyGuard guard;
  size_t current = 0, peak = 0;
  tm_rt::traced_memory(&current, &peak);
  return {current, peak};
}

void reset_peak() {
  ReentrancyGuard guard;
  tm_rt::reset_peak();
}

size_t get_tracemalloc_memory() { return tm_rt::tracer_memory(); }

int get_traceback_limit() { return tm_rt::state().traceback_limit.load(std::memory_order_relaxed); }

std::optional<Traceback> get_object_traceback(const void *ptr) {
  ReentrancyGuard guard;
  std::vector<const tm_site *> recent_first(static_cast<size_t>(get_traceback_limit()));
  uint32_t nframe = 0, total = 0;
  for (;;) {
    if (!tm_rt::object_traceback(ptr, recent_first.data(),
                                 static_cast<uint32_t>(recent_first.size()), &nframe, &total)) {
      return std::nullopt;
    }
    if (nframe <= recent_first.size()) break;
    recent_first.resize(nframe);
  }
  std::vector<Frame> oldest_first;
  oldest_first.reserve(nframe);
  for (uint32_t i = nframe; i-- > 0;) oldest_first.push_back(tm_rt::frame_of_site(recent_first[i]));
  return Traceback(std::move(oldest_first), total);
}

Snapshot take_snapshot() {
  ReentrancyGuard guard;
  return tm_rt::take_runtime_snapshot();
}

Snapshot take_snapshot(View view) {
  ReentrancyGuard guard;
  return tm_rt::take_runtime_snapshot().view(view);
}

std::vector<TimelineSample> timeline() {
  ReentrancyGuard guard;
  if (!tm_rt::tracing_enabled()) return {};
  return tm_rt::copy_timeline(false);
}

bool track(unsigned int domain, uintptr_t ptr, size_t size) {
  ReentrancyGuard guard;
  if (ptr == 0 && tm_rt::tracing_enabled()) throw Error("cannot track address 0");
  const int result = tm_rt::track_block(domain, ptr, size);
  if (result == -1) throw std::bad_alloc();
  return result == 0;
}

bool track(unsigned int domain, const void *ptr, size_t size) {
  return track(domain, reinterpret_cast<uintptr_t>(ptr), size);
}

bool untrack(unsigned int domain, uintptr_t ptr) {
  ReentrancyGuard guard;
  return tm_rt::untrack_block(domain, ptr) == 0;
}

bool untrack(unsigned int domain, const void *ptr) {
  return untrack(domain, reinterpret_cast<uintptr_t>(ptr));
}

}  // namespace tracemalloc
