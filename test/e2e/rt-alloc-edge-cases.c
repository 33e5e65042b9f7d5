// glibc's semantics survive instrumentation and the interposers: EINVAL from
// posix_memalign (*result untouched), realloc(p, 0) frees, calloc and
// reallocarray overflow fail with ENOMEM; failures leave no trace.  The
// same calls made by foreign code (through pointers the pass cannot see)
// behave the same.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 %t | FileCheck %s --check-prefixes=CHECK,O0
// RUN: %tmcc -O2 -g %s -o %t2
// RUN: env TRACEMALLOC=1 %t2 | FileCheck %s --check-prefixes=CHECK,O2
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

int (*volatile foreign_posix_memalign)(void **, size_t, size_t) = posix_memalign;
void *(*volatile foreign_realloc)(void *, size_t) = realloc;
void *(*volatile foreign_calloc)(size_t, size_t) = calloc;
void *volatile sink;
volatile size_t huge = SIZE_MAX / 2;

static size_t current(void) {
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  return now;
}

static void check(const char *what, int (*memalign_fn)(void **, size_t, size_t),
                  void *(*realloc_fn)(void *, size_t), void *(*calloc_fn)(size_t, size_t)) {
  void *result = &result;
  int error = memalign_fn(&result, 24, 8);
  printf("%s posix_memalign(24): %s untouched=%d traced=%zu\n", what,
         error == EINVAL ? "EINVAL" : "?", result == (void *)&result, current());
  error = memalign_fn(&result, 64, 8);
  printf("%s posix_memalign(64): %d aligned=%d traced=%zu\n", what, error,
         (uintptr_t)result % 64 == 0, current());
  errno = 0;
  sink = realloc_fn(result, 0);
  printf("%s realloc(p, 0): %s traced=%zu\n", what, sink ? "non-null" : "NULL", current());
  errno = 0;
  sink = calloc_fn(huge, 4);
  printf("%s calloc overflow: %s %s traced=%zu\n", what, sink ? "non-null" : "NULL",
         errno == ENOMEM ? "ENOMEM" : "?", current());
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  check("instrumented", posix_memalign, realloc, calloc);
  check("foreign", foreign_posix_memalign, foreign_realloc, foreign_calloc);
  void *block = malloc(10);
  errno = 0;
  sink = reallocarray(block, huge, 4);
  printf("reallocarray overflow: %s %s traced=%zu\n", sink ? "non-null" : "NULL",
         errno == ENOMEM ? "ENOMEM" : "?", current());
  free(block);
  printf("end traced=%zu\n", current());
  return 0;
}
// CHECK: instrumented posix_memalign(24): EINVAL untouched=1 traced=0
// CHECK-NEXT: instrumented posix_memalign(64): 0 aligned=1 traced=8
// CHECK-NEXT: instrumented realloc(p, 0): NULL traced=0
// clang -O2 assumes calloc leaves errno alone (without the plugin too) and
// folds the errno test of a direct call.
// O0-NEXT: instrumented calloc overflow: NULL ENOMEM traced=0
// O2-NEXT: instrumented calloc overflow: NULL {{ENOMEM|\?}} traced=0
// CHECK-NEXT: foreign posix_memalign(24): EINVAL untouched=1 traced=0
// CHECK-NEXT: foreign posix_memalign(64): 0 aligned=1 traced=8
// CHECK-NEXT: foreign realloc(p, 0): NULL traced=0
// CHECK-NEXT: foreign calloc overflow: NULL ENOMEM traced=0
// CHECK-NEXT: reallocarray overflow: NULL ENOMEM traced=10
// CHECK-NEXT: end traced=0
