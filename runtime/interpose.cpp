// interpose.cpp - the C allocation functions of the whole process.
//
// Defining malloc & co. here makes every allocation and free in the process
// pass through the runtime, including those of code built without the pass
// (libc's getline/fopen internals, prebuilt libraries, libstdc++'s operator
// new): a block allocated on one side and freed on the other never leaves a
// stale trace.  Their blocks get the frame "<unknown>":0 followed by the
// instrumented callers on the shadow stack.
//
// Kept in its own object file, and every definition is weak, so that:
// - a program that links its own malloc with libtracemalloc.a does not pull
//   this object for malloc, and if it pulls it for another function its own
//   strong definitions still win (no duplicate symbols);
// - with libtracemalloc.so, the executable's own malloc comes first in the
//   lookup scope anyway, and these are then never called.
// The __tm_* entries (entries.cpp) hold the reentrancy guard and call the
// plain functions, which land here (or in the program's allocator): a block
// allocated through an entry is recorded once, with its site.
//
// These run before any constructor (ld.so and libc initialisation call
// malloc): they touch only constant-initialised globals and initial-exec TLS,
// and reach glibc through its exported __libc_* aliases (glibc >= 2.0), so
// dlsym is never needed.  Not built under TM_SANITIZE: the sanitizers define
// malloc themselves.
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

#include "runtime/guard.h"
#include "runtime/state.h"

extern "C" {
void *__libc_malloc(size_t size);
void __libc_free(void *block);
void *__libc_calloc(size_t nmemb, size_t size);
void *__libc_realloc(void *block, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
void *__libc_valloc(size_t size);
void *__libc_pvalloc(size_t size);
}

namespace {

// The block was allocated outside every entry (the guard is clear) while
// tracing: record it.  Cheap enough to test inline; recording is not.
inline bool foreign_and_tracing() {
  return __builtin_expect(tm_rt::tracing_enabled(), 0) && !tm_rt::t_inside_runtime;
}

__attribute__((noinline)) void record_foreign(void *block, size_t size) {
  tm_rt::ReentrancyGuard guard;
  tm_rt::record_foreign_allocation(block, size);
}

template <typename Allocate>
inline void *traced(size_t requested, Allocate &&allocate) {
  void *block = allocate();
  if (block && foreign_and_tracing()) record_foreign(block, requested);
  return block;
}

// realloc semantics of glibc 2.36: realloc(p, 0) frees p and returns NULL.
__attribute__((noinline)) void *traced_realloc(void *block, size_t size) {
  tm_rt::ReentrancyGuard guard;
  tm_rt::TakenTrace taken;
  // Out of the table before the real call: once freed, another thread may
  // get the address back and record it.
  const bool had_trace = block && tm_rt::take_trace(block, &taken);
  void *result = __libc_realloc(block, size);
  if (result) {
    tm_rt::record_foreign_allocation(result, size);
  } else if (block && size == 0) {
    // Freed: the trace stays out.
  } else if (had_trace) {
    tm_rt::restore_trace(taken);
  }
  return result;
}

}  // namespace

#define TM_INTERPOSER extern "C" __attribute__((weak, visibility("default")))

TM_INTERPOSER void *malloc(size_t size) noexcept {
  return traced(size, [&] { return __libc_malloc(size); });
}

TM_INTERPOSER void free(void *block) noexcept {
  if (block && foreign_and_tracing()) tm_rt::forget_allocation(block);
  __libc_free(block);
}

TM_INTERPOSER void *calloc(size_t nmemb, size_t size) noexcept {
  // When the product overflows calloc fails and nothing is recorded.
  size_t requested = 0;
  (void)__builtin_mul_overflow(nmemb, size, &requested);
  return traced(requested, [&] { return __libc_calloc(nmemb, size); });
}

TM_INTERPOSER void *realloc(void *block, size_t size) noexcept {
  if (!foreign_and_tracing()) return __libc_realloc(block, size);
  return traced_realloc(block, size);
}

TM_INTERPOSER void *reallocarray(void *block, size_t nmemb, size_t size) noexcept {
  size_t bytes = 0;
  if (__builtin_mul_overflow(nmemb, size, &bytes)) {
    errno = ENOMEM;  // as glibc, without touching the block
    return nullptr;
  }
  return realloc(block, bytes);
}

TM_INTERPOSER void *memalign(size_t alignment, size_t size) noexcept {
  return traced(size, [&] { return __libc_memalign(alignment, size); });
}

// glibc 2.36 defines aligned_alloc as an alias of memalign (any alignment is
// rounded up to a power of two, EINVAL only when it is too large).
TM_INTERPOSER void *aligned_alloc(size_t alignment, size_t size) noexcept {
  return traced(size, [&] { return __libc_memalign(alignment, size); });
}

TM_INTERPOSER int posix_memalign(void **result, size_t alignment, size_t size) noexcept {
  // glibc's checks: a power-of-two multiple of sizeof(void *).  *result is
  // left alone on failure.
  const size_t words = alignment / sizeof(void *);
  if (alignment % sizeof(void *) != 0 || words == 0 || (words & (words - 1)) != 0) return EINVAL;
  void *block = traced(size, [&] { return __libc_memalign(alignment, size); });
  if (!block) return ENOMEM;
  *result = block;
  return 0;
}

TM_INTERPOSER void *valloc(size_t size) noexcept {
  return traced(size, [&] { return __libc_valloc(size); });
}

TM_INTERPOSER void *pvalloc(size_t size) noexcept {
  return traced(size, [&] { return __libc_pvalloc(size); });
}
