// Blocks outlive the tracing session they were allocated in: allocated before
// tm_start() (glibc's own blocks) or while tracing (blocks with a header),
// then freed, reallocated and measured in the other state, by instrumented
// and by foreign code.  Contents survive, usable sizes stay at least the
// request, and only blocks allocated or reallocated while tracing count.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: %t | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t2
// RUN: %t2 | FileCheck %s
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

void *(*volatile foreign_realloc)(void *, size_t) = realloc;
void (*volatile foreign_free)(void *) = free;

static size_t current(void) {
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  return now;
}

static int filled(const char *block, size_t n, char c) {
  for (size_t i = 0; i < n; i++)
    if (block[i] != c) return 0;
  return 1;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);  // no stdio buffer allocated while tracing
  char *before = malloc(100);
  char *before_foreign = malloc(200);
  memset(before, 'a', 100);
  memset(before_foreign, 'b', 200);
  tm_start(1);
  char *during = malloc(300);
  memset(during, 'c', 300);
  printf("usable before=%d during=%zu traced=%zu\n", malloc_usable_size(before) >= 100,
         malloc_usable_size(during), current());
  // CHECK: usable before=1 during=300 traced=300

  before = realloc(before, 1000);
  before_foreign = foreign_realloc(before_foreign, 50);
  printf("moved a=%d b=%d traced=%zu\n", filled(before, 100, 'a'), filled(before_foreign, 50, 'b'),
         current());
  // CHECK-NEXT: moved a=1 b=1 traced=1350

  free(before_foreign);
  printf("freed traced=%zu\n", current());
  // CHECK-NEXT: freed traced=1300

  tm_stop();
  during = realloc(during, 400);
  before = foreign_realloc(before, 2000);
  char *after = malloc(10);
  printf("after stop c=%d a=%d usable=%zu traced=%zu\n", filled(during, 300, 'c'),
         filled(before, 100, 'a'), malloc_usable_size(during), current());
  // CHECK-NEXT: after stop c=1 a=1 usable=400 traced=0

  tm_start(1);
  free(during);
  foreign_free(before);
  free(after);
  printf("freed in a new session traced=%zu\n", current());
  // CHECK-NEXT: freed in a new session traced=0
  return 0;
}
