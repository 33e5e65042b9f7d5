// `%p` in TRACEMALLOC_DUMP becomes the process id: the program prints its pid
// and the dump is found under that name.
// RUN: rm -rf %t.dir && mkdir %t.dir
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.dir/prog.%%p.tmd %t > %t.pid
// RUN: %tm-report top %t.dir/prog.$(cat %t.pid).tmd | FileCheck %s
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void *keep;

int main(void) {
  keep = malloc(123);
  printf("%d", (int)getpid());
  return 0;
}
// CHECK: dump-pid-pattern.c:14: size=123 B, count=1, average=123 B
