// A callback from code not compiled with the plugin (libc's qsort calling
// an instrumented comparator that allocates): the comparator's frame is
// followed by the instrumented caller's call into qsort.
// RUN: %tmcc -O0 -g %s -o %t-O0
// RUN: env TRACEMALLOC=5 %t-O0 | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t-O2
// RUN: env TRACEMALLOC=5 %t-O2 | FileCheck %s
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *last;

static int compare(const void *a, const void *b) {
  free(last);
  last = malloc(24);
  return *(const int *)a - *(const int *)b;
}

int main(void) {
  int values[] = {5, 3, 9, 1, 7};
  qsort(values, 5, sizeof values[0], compare);
  print_traceback("comparator", last);
  return 0;
}
// CHECK-LABEL: comparator: frames=2 total=2
// CHECK-NEXT: stack-qsort-callback.c:21
// CHECK-NEXT: stack-qsort-callback.c:15
