// shadow_stack.cpp - defines the shadow stack the pass writes and reads it.
#pragma GCC visibility push(default)
#include "tracemalloc/abi.h"
#pragma GCC visibility pop

#include "runtime/tracebacks/shadow_stack.h"

// Written only by instrumented code of the owning thread (and read by the
// runtime on that thread): thread-local, so unshared.  Exported: instrumented
// executables access it as initial-exec TLS of this library.
__thread struct tm_shadow_stack __tm_shadow_stack
    __attribute__((tls_model("initial-exec"), visibility("default"))) = {};

namespace tm_rt {

constexpr uintptr_t kCapacity = TM_SHADOW_STACK_CAPACITY;
static_assert((kCapacity & (kCapacity - 1)) == 0, "the ring is indexed with a mask");

const tm_site *innermost_call_site() {
  const tm_shadow_stack &stack = __tm_shadow_stack;
  const uintptr_t depth = stack.depth;
  return depth ? stack.ring[(depth - 1) & (kCapacity - 1)] : nullptr;
}

void callers_below(uintptr_t skip, CallerSites *callers) {
  callers->count = 0;
  callers->overwritten = 0;
  const tm_shadow_stack &stack = __tm_shadow_stack;
  const uintptr_t depth = stack.depth;
  if (depth < skip) return;
  const uintptr_t most_recent = depth - skip;
  // Slots below depth-capacity were overwritten by deeper frames.
  const uintptr_t oldest_kept = depth > kCapacity ? depth - kCapacity : 0;
  for (uintptr_t level = most_recent + 1; level-- > oldest_kept;) {
    callers->sites[callers->count++] = stack.ring[level & (kCapacity - 1)];
  }
  // A corrupt depth (a longjmp the pass could not heal) must not overflow
  // total_nframe.
  callers->overwritten =
      oldest_kept > UINT32_MAX / 2 ? UINT32_MAX / 2 : static_cast<uint32_t>(oldest_kept);
}

}  // namespace tm_rt
