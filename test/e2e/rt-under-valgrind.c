// An instrumented program runs clean under valgrind, traced or not.
// valgrind replaces glibc's allocator (__libc_malloc included) and keeps a
// redzone where glibc keeps its chunk size, which free() would read to tell
// a header block from glibc's: the runtime checks that premise before
// giving blocks headers, and traces in its table instead.
// REQUIRES: valgrind
// RUN: %tmcc -O1 -g %s -o %t
// RUN: valgrind -q --error-exitcode=99 --freelist-vol=0 %t | FileCheck %s
// RUN: env TRACEMALLOC=1 valgrind -q --error-exitcode=99 --freelist-vol=0 %t \
// RUN:   | FileCheck %s --check-prefix=TRACED
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

void *(*volatile foreign_realloc)(void *, size_t) = realloc;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  enum { kBlocks = 2000 };
  static unsigned char *blocks[kBlocks];
  size_t live = 0;
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < kBlocks; i++) {
      size_t size = 40 + (size_t)(i % 97);
      blocks[i] = malloc(size);
      // Bytes with bit 31 set everywhere, so that leftovers look marked.
      memset(blocks[i], 0xff, size);
    }
    for (int i = 0; i < kBlocks; i += 2) blocks[i] = foreign_realloc(blocks[i], 300);
    size_t now, peak;
    tm_get_traced_memory(&now, &peak);
    live = now;
    for (int i = 0; i < kBlocks; i++) free(blocks[i]);
  }
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  printf("live while allocated: %zu, after: %zu\n", live, now);
  return 0;
}
// CHECK: live while allocated: 0, after: 0
// TRACED: live while allocated: {{[1-9][0-9]*}}, after: 0
