// One allocation reached, in one loop, through callers that differ only
// below the innermost one, and through a recursion deeper than the shadow
// stack keeps, one level apart (the slots kept are the same, the depth is
// not): each block's traceback names its own callers and its own total depth
// (tracebacks a thread interned recently are reused only for exactly the
// same callers).  TRACEMALLOC=3: three frames kept.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=3 %t | FileCheck %s
// CHECK: block 0: site <- middle <- via_a total 4
// CHECK-NEXT: block 1: site <- middle <- via_b total 4
// CHECK-NEXT: block 2: site <- middle <- recurse total 74
// CHECK-NEXT: block 3: site <- middle <- recurse total 75
// CHECK-NEXT: block 4: site <- middle <- via_a total 4
// CHECK-NEXT: block 5: site <- middle <- via_b total 4
// CHECK-NEXT: block 6: site <- middle <- recurse total 74
// CHECK-NEXT: block 7: site <- middle <- recurse total 75
// CHECK-NEXT: every round alike: 100 rounds
#include <stdio.h>
#include <stdlib.h>

#include <tracemalloc/tracemalloc.h>

enum { kPerRound = 4, kRounds = 100 };
static void *blocks[kPerRound * kRounds];
static int used;

__attribute__((noinline)) void site(void) { blocks[used++] = malloc(48); }
__attribute__((noinline)) void middle(void) { site(); }
__attribute__((noinline)) void via_a(void) { middle(); }
__attribute__((noinline)) void via_b(void) { middle(); }
__attribute__((noinline)) void recurse(int depth) {
  if (depth == 0) {
    middle();
    return;
  }
  recurse(depth - 1);
}

struct shape {
  const char *functions[3];
  int total;
};

static int describe(int i, struct shape *out) {
  tm_frame frames[3];
  const int n = tm_get_object_traceback(blocks[i], frames, 3, &out->total);
  for (int f = 0; f < 3 && f < n; ++f) out->functions[f] = frames[f].function;
  return n;
}

int main(void) {
  for (int round = 0; round < kRounds; ++round) {
    via_a();
    via_b();
    recurse(70);
    recurse(71);
  }
  struct shape first[kPerRound];
  for (int i = 0; i < used; ++i) {
    struct shape s;
    if (describe(i, &s) != 3) {
      printf("block %d: not 3 frames\n", i);
      return 1;
    }
    // Oldest first: the allocation's own frame is the last.
    if (i < 2 * kPerRound) {
      printf("block %d: %s <- %s <- %s total %d\n", i, s.functions[2], s.functions[1],
             s.functions[0], s.total);
    }
    if (i < kPerRound) {
      first[i] = s;
      continue;
    }
    const struct shape *f = &first[i % kPerRound];
    if (s.total != f->total || s.functions[0] != f->functions[0]) {
      printf("block %d differs from block %d\n", i, i % kPerRound);
      return 1;
    }
  }
  printf("every round alike: %d rounds\n", used / kPerRound);
  return 0;
}
