// An unwritable TRACEMALLOC_DUMP path prints one warning line and leaves the
// program's exit status unchanged.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=/nonexistent-dir/x.tmd %t 2>%t.err; test $? -eq 7
// RUN: FileCheck %s --input-file=%t.err
// RUN: count 1 < %t.err
#include <stdlib.h>

void *keep;

int main(void) {
  keep = malloc(100);
  return 7;
}
// CHECK: tracemalloc: {{.*}}/nonexistent-dir/x.tmd
