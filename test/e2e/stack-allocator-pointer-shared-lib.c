// The pluggable allocator of an instrumented shared library, set to malloc
// by the program (a position-independent or a non-PIE executable): the
// library's indirect call is the block's most recent frame, its caller in
// the program the next.  malloc's address compares equal across modules.
// RUN: %tmcc -O2 -g -shared -fPIC %S/Inputs/pluggable_parser_lib.c -o %t.lib.so
// RUN: %tmcc -O2 -g -pie %s %t.lib.so -Wl,-rpath,%T -o %t.pie
// RUN: env TRACEMALLOC=5 %t.pie | FileCheck %s
// RUN: %tmcc -O2 -g -no-pie %s %t.lib.so -Wl,-rpath,%T -o %t.no-pie
// RUN: env TRACEMALLOC=5 %t.no-pie | FileCheck %s
#include <stdlib.h>
#include "Inputs/print_traceback.h"

struct memory_suite {
  void *(*malloc_fcn)(size_t);
};
void *parser_buffer(const struct memory_suite *memory, size_t size);

int main(void) {
  struct memory_suite memory = {malloc};
  void *buffer = parser_buffer(&memory, 500);
  print_traceback("buffer", buffer);
  free(buffer);
  return 0;
}
// CHECK-LABEL: buffer: frames=2 total=2
// CHECK-NEXT: stack-allocator-pointer-shared-lib.c:20
// CHECK-NEXT: pluggable_parser_lib.c:11
