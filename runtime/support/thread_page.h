// thread_page.h - one page of the runtime's own memory per thread, for
// per-thread state too large for initial-exec TLS.
//
// A large initial-exec TLS block makes dlopen of the runtime fail, so the
// TLS slot is one pointer; the page comes from internal_alloc (counted,
// zero-filled) at the thread's first request and goes back when the thread
// exits.  Allocations made after that, by later thread-exit destructors,
// get nullptr and take the paths that need no per-thread state.
#ifndef TRACEMALLOC_RUNTIME_THREAD_PAGE_H
#define TRACEMALLOC_RUNTIME_THREAD_PAGE_H

#include <cstddef>
#include <cstdint>

#include "runtime/support/local.h"

namespace tm_rt {

constexpr size_t kThreadPageBytes = 4096;

// The parts of the page, each at a fixed offset (static_asserts where they
// are defined keep them within it).
constexpr size_t kTracebackMemoOffset = 0;

extern __thread unsigned char *t_thread_page TM_RUNTIME_LOCAL_TLS;
// nullptr when the thread is exiting or no memory could be had (then for good).
unsigned char *make_thread_page();

inline unsigned char *thread_page() {
  unsigned char *page = t_thread_page;
  if (__builtin_expect(reinterpret_cast<uintptr_t>(page) > 1, 1)) return page;
  return page ? nullptr : make_thread_page();
}

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_THREAD_PAGE_H
