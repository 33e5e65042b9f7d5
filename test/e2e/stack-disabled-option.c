// Built without the shadow stack (TM_CLANG_NO_SHADOW_STACK=1), a trace has
// only its allocation frame (plus inline frames), whatever the limit; with
// it, the callers follow.
// RUN: env TM_CLANG_NO_SHADOW_STACK=1 %tmcc -O0 -g %s -o %t.off
// RUN: env TRACEMALLOC=10 %t.off | FileCheck %s --check-prefix=OFF
// RUN: %tmcc -O0 -g %s -o %t.on
// RUN: env TRACEMALLOC=10 %t.on | FileCheck %s --check-prefix=ON
#include <stdlib.h>
#include "Inputs/print_traceback.h"

void *keep;

void *allocate(void) {
  return malloc(8);
}

int main(void) {
  keep = allocate();
  print_traceback("block", keep);
  return 0;
}
// OFF: block: frames=1 total=1
// OFF-NEXT: stack-disabled-option.c:14
// ON: block: frames=2 total=2
// ON-NEXT: stack-disabled-option.c:18
// ON-NEXT: stack-disabled-option.c:14
