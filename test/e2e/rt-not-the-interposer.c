// A program built with plain clang that links an instrumented library:
// the runtime comes in behind libc, so the process's malloc and free are
// libc's and frees outside instrumented code never reach it.  Tracing
// starts with one warning saying how to link; the program's output is
// unchanged.  Built with tm-clang, the same program gets no warning.
// RUN: %tmcc -O1 -g -shared -fPIC %S/Inputs/rt_instrumented_lib.c -o %t.lib.so
// RUN: %clang -O1 %s %t.lib.so -Wl,-rpath,%tmlibdir -o %t.plain
// RUN: %t.plain > %t.untraced
// RUN: env TRACEMALLOC=1 %t.plain > %t.traced 2> %t.err
// RUN: diff %t.untraced %t.traced
// RUN: FileCheck %s < %t.err
// RUN: %tmcc -O1 %s %t.lib.so -o %t.tm
// RUN: env TRACEMALLOC=1 %t.tm > %t.tm.out 2> %t.tm.err
// RUN: diff %t.untraced %t.tm.out
// RUN: count 0 < %t.tm.err
#include <stdio.h>
#include <stdlib.h>

char *lib_copy(const char *text);
unsigned long lib_work(unsigned count);

int main(void) {
  char *copy = lib_copy("from the library");
  printf("%s %lu\n", copy, lib_work(50));
  free(copy);
  return 0;
}
// CHECK: tracemalloc: the program's malloc and free are libc's, not the runtime's {{.*}}; build the executable with tm-clang, or run it with LD_PRELOAD={{.*}}libtracemalloc.so
// CHECK-NOT: tracemalloc:
