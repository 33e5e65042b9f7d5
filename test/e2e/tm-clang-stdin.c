// A program read from standard input (-x c -, -xc -) is compiled with the
// pass and linked with the runtime, with or without -o.
// RUN: rm -rf %t.dir && mkdir %t.dir && cd %t.dir
// RUN: %tmcc -O1 -g -xc - < %s
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd ./a.out
// RUN: %tm-report top %t.tmd | FileCheck %s
// RUN: %tmcc -O1 -g -x c - -o %t < %s
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.2.tmd %t
// RUN: %tm-report top %t.2.tmd | FileCheck %s
#include <stdlib.h>

void *kept;

int main(void) {
  kept = malloc(2222);
  return 0;
}
// clang names standard input "<stdin>".
// CHECK: <stdin>:15: size=2222 B, count=1, average=2222 B
