// TRACEMALLOC values that are not an integer >= 1 print one warning line on
// stderr and do not start tracing; the program runs as usual.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=abc %t 2>%t.err | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=WARN-ABC --input-file=%t.err
// RUN: env TRACEMALLOC=0 %t 2>%t.err0 | FileCheck %s --check-prefix=OUT
// RUN: FileCheck %s --check-prefix=WARN-ZERO --input-file=%t.err0
// RUN: env TRACEMALLOC=-3 %t 2>/dev/null | FileCheck %s --check-prefix=OUT
// RUN: env TRACEMALLOC=99999999999 %t 2>/dev/null | FileCheck %s --check-prefix=OUT
// RUN: env TRACEMALLOC=2 %t 2>%t.err2 | FileCheck %s --check-prefix=ON
// RUN: count 0 < %t.err2
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

int main(void) {
  void *p = malloc(32);
  printf("tracing=%d limit=%d\n", tm_is_tracing(), tm_get_traceback_limit());
  free(p);
  return 0;
}
// OUT: tracing=0 limit=1
// ON: tracing=1 limit=2
// WARN-ABC: tracemalloc: {{.*}}TRACEMALLOC{{.*}}abc
// WARN-ABC-NOT: {{.}}
// WARN-ZERO: tracemalloc: {{.*}}TRACEMALLOC{{.*}}0
// WARN-ZERO-NOT: {{.}}
