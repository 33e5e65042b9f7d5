// Only an indirect call of the allocation function itself makes the call
// site a block's own frame.  A function of malloc's type called through a
// pointer that allocates inside itself (built without the plugin), and the
// buffer printf allocates for stdout, keep "<unknown>":0 as their most
// recent frame, the instrumented call one frame up.
// RUN: %clang -O2 -g -c %S/Inputs/foreign_allocator.c -o %t.foreign.o
// RUN: %tmcc -O2 -g %s %t.foreign.o -o %t
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s
// RUN: %tm-report top --key-type traceback --limit 0 %t.tmd | FileCheck %s --check-prefix=STDOUT
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *foreign_allocate(size_t n);
void *(*volatile allocate)(size_t) = foreign_allocate;

int main(void) {
  printf("calling\n");
  void *block = allocate(100);
  print_traceback("foreign", block);
  return 0;
}
// CHECK-LABEL: foreign: frames=2 total=2
// CHECK-NEXT: stack-allocator-pointer-foreign.c:18
// CHECK-NEXT: <unknown>:0

// STDOUT: size=4096 B, count=1
// STDOUT-NEXT: File "{{.*}}stack-allocator-pointer-foreign.c", line 17
// STDOUT-NEXT: printf("calling\n");
// STDOUT-NEXT: File "<unknown>", line 0
