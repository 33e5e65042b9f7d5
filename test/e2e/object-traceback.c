// get_object_traceback: a live traced block has its traceback; an untraced
// pointer, a freed block, and any block when not tracing have none (-1).
// RUN: %tmcc -O0 -g %s -o %t-O0
// RUN: %t-O0 | FileCheck %s
// RUN: %tmcc -O2 -g %s -o %t-O2
// RUN: %t-O2 | FileCheck %s
#include <stdlib.h>
#include "Inputs/print_traceback.h"

int main(void) {
  void *before = malloc(8); // allocated before tracing starts
  tm_start(3);
  void *live = malloc(8);
  void *freed = malloc(8);
  free(freed);
  int on_stack;
  print_traceback("live", live);
  print_traceback("before", before);
  print_traceback("freed", freed);
  print_traceback("stack", &on_stack);
  tm_stop();
  print_traceback("stopped", live);
  free(live);
  free(before);
  return 0;
}
// CHECK: live: frames=1 total=1
// CHECK-NEXT: object-traceback.c:13
// CHECK-NEXT: before: frames=-1
// CHECK-NEXT: freed: frames=-1
// CHECK-NEXT: stack: frames=-1
// CHECK-NEXT: stopped: frames=-1
