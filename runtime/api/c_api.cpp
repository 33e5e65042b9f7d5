// c_api.cpp - the C API of tracemalloc.h that needs no snapshot model.
#include <errno.h>

#include <algorithm>
#include <vector>

#pragma GCC visibility push(default)
#include "tracemalloc/tracemalloc.h"
#pragma GCC visibility pop

#include "runtime/snapshots/dump.h"
#include "runtime/support/guard.h"
#include "runtime/support/internal_alloc.h"
#include "runtime/tracebacks/traceback_table.h"
#include "runtime/traces/record.h"
#include "runtime/traces/session.h"

using tm_rt::ReentrancyGuard;

extern "C" {

int tm_start_sampled(int nframe, size_t sample_bytes) {
  ReentrancyGuard guard;
  const int error = tm_rt::start_tracing(nframe, sample_bytes);
  if (error != 0) {
    errno = error;
    return -1;
  }
  return 0;
}

int tm_start(int nframe) { return tm_start_sampled(nframe, tm_rt::kDefaultSampleBytes); }

size_t tm_get_sample_bytes(void) { return tm_rt::sample_bytes(); }

void tm_stop(void) {
  ReentrancyGuard guard;
  tm_rt::stop_tracing();
}

int tm_is_tracing(void) { return tm_rt::tracing_enabled() ? 1 : 0; }

void tm_clear_traces(void) {
  ReentrancyGuard guard;
  tm_rt::clear_traces();
}

void tm_get_traced_memory(size_t *current, size_t *peak) {
  ReentrancyGuard guard;
  tm_rt::traced_memory(current, peak);
}

void tm_reset_peak(void) {
  ReentrancyGuard guard;
  tm_rt::reset_peak();
}

size_t tm_get_tracemalloc_memory(void) { return tm_rt::tracer_memory(); }

int tm_get_traceback_limit(void) {
  return tm_rt::state().traceback_limit.load(std::memory_order_relaxed);
}

int tm_max_nframe(void) { return tm_rt::kMaxTracebackFrames; }

int tm_track(unsigned int domain, uintptr_t ptr, size_t size) {
  ReentrancyGuard guard;
  if (ptr == 0 && tm_rt::tracing_enabled()) {
    errno = EINVAL;  // address 0 marks an empty slot of the trace table
    return -1;
  }
  const int result = tm_rt::track_block(domain, ptr, size);
  if (result == -1) errno = ENOMEM;
  return result;
}

int tm_untrack(unsigned int domain, uintptr_t ptr) {
  ReentrancyGuard guard;
  return tm_rt::untrack_block(domain, ptr);
}

int tm_get_object_traceback(const void *ptr, tm_frame *frames, int capacity, int *total_nframe) {
  ReentrancyGuard guard;
  if (capacity < 0) capacity = 0;
  // Sized by the limit; a stop()+start() with a larger limit in between can
  // only make it too small, which the loop handles.
  std::vector<const tm_site *> recent_first(static_cast<size_t>(tm_get_traceback_limit()));
  uint32_t nframe = 0, total = 0;
  for (;;) {
    if (!tm_rt::object_traceback(ptr, recent_first.data(),
                                 static_cast<uint32_t>(recent_first.size()), &nframe, &total)) {
      return -1;
    }
    if (nframe <= recent_first.size()) break;
    recent_first.resize(nframe);
  }
  if (total_nframe) *total_nframe = static_cast<int>(total);
  const int written = std::min(capacity, static_cast<int>(nframe));
  for (int i = 0; i < written; ++i) {
    const tm_site *site = recent_first[nframe - 1 - i];  // oldest first, as Traceback
    const char *file = site ? tm_site_file(site) : nullptr;
    const char *function = site ? tm_site_function(site) : nullptr;
    if (file) {
      frames[i] = tm_frame{file, function, site->line};
    } else {
      frames[i] = tm_frame{"<unknown>", function, 0};
    }
  }
  return written;
}

}  // extern "C"
