// Built WITH the TraceMalloc plugin: its allocations are rewritten into
// runtime entry calls, and a constructor registers the module.
#include <stdlib.h>
#include <string.h>

char *lib_copy(const char *text) { return strdup(text); }

// Weak (so never proven not to allocate: a program may replace it):
// lib_work, which calls it, pushes a shadow-stack frame.
__attribute__((noinline, weak)) void lib_fill(unsigned char *block, unsigned size, int value) {
  memset(block, value, size);
}

// Allocates, grows and frees blocks of its own; returns a checksum that
// depends on every byte written, so a broken block shows.
unsigned long lib_work(unsigned count) {
  unsigned long sum = 0;
  for (unsigned i = 0; i < count; ++i) {
    unsigned char *block = malloc(16 + i);
    lib_fill(block, 16 + i, (int)(i & 0xff));
    block = realloc(block, 64 + 2 * i);
    for (unsigned j = 0; j < 16 + i; ++j) sum += block[j];
    free(block);
  }
  return sum;
}

// The caller frees this block with its own (plain) free, and the library
// frees blocks the caller allocated.
void *lib_alloc(size_t size) { return calloc(1, size); }
void lib_free(void *block) { free(block); }
