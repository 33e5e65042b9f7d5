// guard.h - the per-thread reentrancy guard.
//
// Set while a thread is inside any runtime entry or API call.  A nested entry
// (an instrumented user operator new calling instrumented malloc, or the
// runtime's own snapshot code reaching a replaced malloc) sees it set and
// only calls the real function, so each block is traced once, by its
// outermost call, and no table lock is ever taken twice by one thread.
#ifndef TRACEMALLOC_RUNTIME_GUARD_H
#define TRACEMALLOC_RUNTIME_GUARD_H

#include "runtime/support/local.h"

namespace tm_rt {

// initial-exec: one TLS load, no __tls_get_addr call on the hot path.  Kept
// to one byte: a large initial-exec TLS block makes dlopen fail.
// Thread-local, so unshared.
extern __thread bool t_inside_runtime TM_RUNTIME_LOCAL_TLS;
// Set by fork_prepare() on the forking thread until fork_unlock(): it holds
// every trace lock, so a free() in an atfork handler that runs meanwhile
// drops the block's trace without taking any.
extern __thread bool t_holds_trace_locks TM_RUNTIME_LOCAL_TLS;

class ReentrancyGuard {
 public:
  ReentrancyGuard() : outermost_(!t_inside_runtime) { t_inside_runtime = true; }
  ~ReentrancyGuard() {
    if (outermost_) t_inside_runtime = false;
  }
  ReentrancyGuard(const ReentrancyGuard &) = delete;
  ReentrancyGuard &operator=(const ReentrancyGuard &) = delete;

  bool outermost() const { return outermost_; }

 private:
  bool outermost_;
};

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_GUARD_H
