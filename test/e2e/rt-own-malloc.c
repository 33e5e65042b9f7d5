// A program that links its own malloc keeps using it, with the shared and
// with the static runtime: instrumented allocations go to the program's
// malloc and are traced exactly once per block.
// RUN: %clang -O2 -c %S/Inputs/rt_own_malloc.c -o %t.own.o
// RUN: %tmcc -O0 -g %s %t.own.o -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s
// RUN: %tm-report top %t.tmd | FileCheck %s --check-prefix=REPORT
// RUN: env TM_CLANG_STATIC=1 %tmcc -O0 -g %s %t.own.o -o %t.static
// RUN: env TRACEMALLOC=1 %t.static | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

extern unsigned long own_malloc_calls, own_free_calls;

void *kept;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  unsigned long calls_before = own_malloc_calls;
  void *a = malloc(100);
  char *b = calloc(10, 5);
  b = realloc(b, 70);
  kept = malloc(333);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("program's malloc used: %lu\n", own_malloc_calls - calls_before);
  printf("traced once: %zu\n", current);
  free(a);
  free(b);
  tm_get_traced_memory(&current, &peak);
  printf("after free: %zu, frees seen by the program: %d\n", current, own_free_calls >= 3);
  return 0;
}
// calloc is malloc plus memset in the program's allocator; realloc is one
// more malloc.
// CHECK: program's malloc used: 4
// CHECK-NEXT: traced once: 503
// CHECK-NEXT: after free: 333, frees seen by the program: 1

// REPORT: rt-own-malloc.c:25: size=333 B, count=1
