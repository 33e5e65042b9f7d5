// shadow_stack.h - the callers of an allocation, read from the per-thread
// shadow stack that instrumented functions maintain (protocol in abi.h).
#ifndef TRACEMALLOC_RUNTIME_SHADOW_STACK_H
#define TRACEMALLOC_RUNTIME_SHADOW_STACK_H

#include <cstddef>
#include <cstdint>

#include "tracemalloc/abi.h"

namespace tm_rt {

struct CallerSites {
  // Most recent first; entries may be NULL (a slot no call wrote yet).
  const tm_site *sites[TM_SHADOW_STACK_CAPACITY];
  size_t count;
  // Callers whose slots the ring overwrote: counted in total_nframe only.
  uint32_t overwritten;
};

// The callers of the current thread's allocation: the ring slots from
// depth-`skip` down.  `skip` is 2 for an allocation in a function that
// pushed a frame (TM_SITE_OWN_SHADOW_FRAME: the slot at depth-1 is its own),
// else 1 (code that pushed no frame, such as a foreign function or a
// runtime API: its caller's call site is at depth-1).
void callers_below(uintptr_t skip, CallerSites *callers);

// The call site stored at depth-1, i.e. the instrumented call that entered
// the runtime (or the foreign code that called it); NULL when the thread has
// no instrumented frame.
const tm_site *innermost_call_site();

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SHADOW_STACK_H
