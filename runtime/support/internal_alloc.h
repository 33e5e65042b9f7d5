// internal_alloc.h - memory for the runtime's own tables.
//
// Taken from mmap, never from malloc: the tables must not be traced, must not
// recurse into the entries, and must keep working when the program replaces
// malloc.  Every byte mapped is counted for tm_get_tracemalloc_memory().
#ifndef TRACEMALLOC_RUNTIME_INTERNAL_ALLOC_H
#define TRACEMALLOC_RUNTIME_INTERNAL_ALLOC_H

#include <cstddef>

namespace tm_rt {

// Zero-filled memory of at least `bytes` bytes, aligned to 16; nullptr when
// the system refuses (callers then stop tracing, see traces/session.cpp).
void *internal_alloc(size_t bytes);
// `bytes` must be the value given to internal_alloc for p.
void internal_free(void *p, size_t bytes);
// Bytes currently mapped for the runtime's tables.
size_t internal_memory_usage();

// Test hook: make the next `count` internal_alloc calls fail.
void internal_alloc_fail_next(unsigned count);
// Test hook (TRACEMALLOC_TEST_TABLE_ALLOCATIONS): after `successes` more
// successful calls, every internal_alloc call fails; negative: no limit.
void internal_alloc_fail_after(long long successes);

// pthread_atfork support.
void internal_alloc_lock();
void internal_alloc_unlock();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_INTERNAL_ALLOC_H
