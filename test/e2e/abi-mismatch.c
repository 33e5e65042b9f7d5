// A module instrumented for another ABI version: the runtime prints one line
// naming the module and both versions, refuses to trace (also when
// TRACEMALLOC asks), and the program runs on unaffected.
// The "old module" is simulated by calling the registration entry the pass
// emits, with a wrong version, from a constructor.
// RUN: %clang -O0 -I%tminclude %s -o %t -L%tmlibdir -Wl,-rpath,%tmlibdir -ltracemalloc
// RUN: env TRACEMALLOC=1 %t 2>%t.err | FileCheck %s
// RUN: FileCheck %s --check-prefix=ERR --input-file=%t.err
// RUN: count 1 < %t.err
#include <stdio.h>
#include <tracemalloc/abi.h>
#include <tracemalloc/tracemalloc.h>

__attribute__((constructor(1))) static void register_old_module(void) {
  __tm_register_module(TM_ABI_VERSION + 7, "old_module.c");
}

int main(void) {
  int started = tm_start(1);
  printf("start=%d tracing=%d\n", started, tm_is_tracing());
  return 0;
}
// CHECK: start=-1 tracing=0
// ERR: tracemalloc: old_module.c was instrumented for ABI version {{[0-9]+}} but this runtime implements version {{[0-9]+}}
