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

// The callers of an allocation at `site` made by the current thread.
void current_callers(const tm_site *site, CallerSites *callers);

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_SHADOW_STACK_H
