// Each thread has its own shadow stack: two threads reach the same
// allocation function through different callers, and each block's
// traceback names its own thread's call chain.
// RUN: %tmcc -O0 -g %s -o %t-O0 -pthread
// RUN: env TRACEMALLOC=5 %t-O0 | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t-O2 -pthread
// RUN: env TRACEMALLOC=5 %t-O2 | FileCheck %s
#include <pthread.h>
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *blocks[2];

__attribute__((noinline)) void *allocate(size_t n) {
  return malloc(n);
}

__attribute__((noinline)) void *left(void *arg) {
  (void)arg;
  blocks[0] = allocate(10);
  return NULL;
}

__attribute__((noinline)) void *right(void *arg) {
  (void)arg;
  for (int i = 0; i < 1000; i++)
    free(allocate(1));
  blocks[1] = allocate(20);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, left, NULL);
  pthread_create(&b, NULL, right, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  print_traceback("left", blocks[0]);
  print_traceback("right", blocks[1]);
  return 0;
}
// Thread start functions are called by libc (not instrumented): the chain
// ends at them.
// CHECK-LABEL: left: frames=2 total=2
// CHECK-NEXT: stack-threads.c:20
// CHECK-NEXT: stack-threads.c:15
// CHECK-LABEL: right: frames=2 total=2
// CHECK-NEXT: stack-threads.c:28
// CHECK-NEXT: stack-threads.c:15
