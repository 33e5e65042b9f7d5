// The views under threads: the allocated and temporary counts are exact;
// the peak view's total differs from the peak of get_traced_memory() by at
// most the blocks other threads were allocating or freeing at that instant,
// one per thread (docs/usage.md).
// RUN: %tmcc -O1 -g -pthread %s -o %t
// RUN: %t | FileCheck %s
#include <pthread.h>

#include "Inputs/view_totals.h"

void *volatile sink;

enum { kThreads = 4, kRounds = 20000, kSlots = 64, kMaxBlock = 4096 };

static void *run(void *arg) {
  unsigned seed = (unsigned)(size_t)arg;
  void *slots[kSlots] = {0};
  for (int i = 0; i < kRounds; ++i) {
    int k = rand_r(&seed) % kSlots;
    free(slots[k]);
    slots[k] = malloc(16 + rand_r(&seed) % (kMaxBlock - 16));
    if (i % 7 == 0) {
      void *p = malloc(32);  // freed before this thread's next allocation
      sink = p;
      free(p);
    }
  }
  for (int k = 0; k < kSlots; ++k) free(slots[k]);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  tm_start(1);
  pthread_t threads[kThreads];
  for (int i = 0; i < kThreads; ++i) pthread_create(&threads[i], NULL, run, (void *)(size_t)(i + 1));
  for (int i = 0; i < kThreads; ++i) pthread_join(threads[i], NULL);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  // The C library's own allocations (thread start-up) are not the test's.
  struct view_totals p = view_totals(TM_VIEW_PEAK), a = view_totals_of(TM_VIEW_ALLOCATED, "*views-threads.c"),
                     t = view_totals_of(TM_VIEW_TEMPORARY, "*views-threads.c");
  size_t gap = p.size > peak ? p.size - peak : peak - p.size;
  const size_t per_thread = (kRounds + kRounds / 7 + 1);
  printf("allocated count exact: %d\n", a.count == kThreads * per_thread);
  if (a.count != kThreads * per_thread) printf("  %zu allocations, expected %zu\n", a.count, kThreads * per_thread);
  printf("temporary count at least the short-lived ones: %d\n",
         t.count >= kThreads * (kRounds / 7 + 1) && t.count <= a.count);
  printf("peak view within one block per thread: %d\n", gap <= kThreads * kMaxBlock);
  printf("live after the threads: %zu\n", view_totals_of(TM_VIEW_LIVE, "*views-threads.c").size);
  (void)current;
  return 0;
}
// CHECK: allocated count exact: 1
// CHECK-NEXT: temporary count at least the short-lived ones: 1
// CHECK-NEXT: peak view within one block per thread: 1
// CHECK-NEXT: live after the threads: 0
