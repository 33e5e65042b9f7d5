// Domain 0 is the allocation functions' own, as in CPython: tm_track(0, p)
// on a block malloc traced replaces its trace, free() drops a tracked
// block's trace, and tm_untrack(0, p) removes the trace of a malloc'ed block.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

static size_t traced_now(void) {
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  return current;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdio buffer among the traces
  void *p = malloc(100);
  printf("malloc: %zu\n", traced_now());
  printf("track: %d\n", tm_track(0, (uintptr_t)p, 30));
  printf("tracked: %zu\n", traced_now());
  free(p);
  printf("freed: %zu\n", traced_now());
  void *q = malloc(50);
  printf("untrack: %d\n", tm_untrack(0, (uintptr_t)q));
  printf("untracked: %zu\n", traced_now());
  free(q);
  printf("end: %zu\n", traced_now());
  return 0;
}
// CHECK: malloc: 100
// CHECK-NEXT: track: 0
// CHECK-NEXT: tracked: 30
// CHECK-NEXT: freed: 0
// CHECK-NEXT: untrack: 0
// CHECK-NEXT: untracked: 0
// CHECK-NEXT: end: 0
