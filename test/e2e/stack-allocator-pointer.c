// A library's pluggable allocator (expat's malloc_fcn, libxml2's xmlMalloc):
// a struct holds malloc, calloc and realloc themselves and the code calls
// them through it.  Each block's most recent frame is the line of that
// indirect call, its callers follow, and no "<unknown>" frame comes first --
// at -O0 and at -O2 (the pointers are volatile, so -O2 cannot turn the calls
// into direct ones).
// RUN: %tmcc -O0 -g %s -o %t.O0
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.O0.tmd %t.O0 | FileCheck %s
// RUN: %tm-report top %t.O0.tmd | FileCheck %s --check-prefix=LINENO
// RUN: %tmcc -O2 -g %s -o %t.O2
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.O2.tmd %t.O2 | FileCheck %s
// RUN: %tm-report top %t.O2.tmd | FileCheck %s --check-prefix=LINENO
#include <stdlib.h>
#include "Inputs/print_traceback.h"

struct memory_suite {
  void *(*volatile malloc_fcn)(size_t);
  void *(*volatile calloc_fcn)(size_t, size_t);
  void *(*volatile realloc_fcn)(void *, size_t);
};

struct memory_suite suite = {malloc, calloc, realloc};
void *volatile sink;

__attribute__((noinline)) void *parse(struct memory_suite *m) {
  char *buffer = m->malloc_fcn(4000);
  sink = buffer;
  char *grown = m->realloc_fcn(buffer, 8000);
  sink = grown;
  return grown;
}

int main(void) {
  void *table = suite.calloc_fcn(10, 30);
  void *buffer = parse(&suite);
  print_traceback("calloc", table);
  print_traceback("realloc", buffer);
  return 0;
}
// CHECK-LABEL: calloc: frames=1 total=1
// CHECK-NEXT: stack-allocator-pointer.c:34
// CHECK-LABEL: realloc: frames=2 total=2
// CHECK-NEXT: stack-allocator-pointer.c:35
// CHECK-NEXT: stack-allocator-pointer.c:28

// LINENO: [ Top 3 ]
// LINENO-NEXT: {{.*}}stack-allocator-pointer.c:28: size=8000 B, count=1, average=8000 B
// libc's one block: stdout's buffer, for print_traceback's printf.
// LINENO-NEXT: <unknown>:0: size=4096 B, count=1, average=4096 B
// LINENO-NEXT: {{.*}}stack-allocator-pointer.c:34: size=300 B, count=1, average=300 B
