// operator_new.h - whether the global operator new and delete are
// libstdc++'s, whose blocks come from malloc (so carry a header when malloc's do).
//
// A program's own operator new may return any memory, even with nothing
// readable in front, so its blocks' traces go to the table.  Decided once:
// each operator as the process resolved it must lie in libstdc++.so;
// anything else (a replacement in the program or in any library, a
// statically linked libstdc++) counts as replaced.
#ifndef TRACEMALLOC_RUNTIME_INTERCEPT_OPERATOR_NEW_H
#define TRACEMALLOC_RUNTIME_INTERCEPT_OPERATOR_NEW_H

#include "runtime/support/local.h"

namespace tm_rt {

// Decides (once: the initialiser calls it before main) and returns the answer.
bool decide_new_blocks_from_malloc();
extern int g_new_blocks_from_malloc TM_RUNTIME_LOCAL;  // -1 until decided, then 0 or 1 for good

inline bool new_blocks_from_malloc() {
  const int known = __atomic_load_n(&g_new_blocks_from_malloc, __ATOMIC_RELAXED);
  return __builtin_expect(known >= 0, 1) ? known != 0 : decide_new_blocks_from_malloc();
}

}  // namespace tm_rt

#endif  // TRACEMALLOC_RUNTIME_INTERCEPT_OPERATOR_NEW_H
