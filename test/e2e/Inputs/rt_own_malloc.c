// A program's own allocator (as jemalloc or a bump allocator would be),
// compiled without the plugin: a bump allocator over a static arena with a
// size header, counting its calls.
#include <errno.h>
#include <stddef.h>
#include <string.h>

static _Alignas(16) char arena[1 << 22];
static size_t used;
unsigned long own_malloc_calls, own_free_calls;

void *malloc(size_t size) {
  size_t need = (size + 16 + 15) & ~(size_t)15;
  size_t start = __atomic_fetch_add(&used, need, __ATOMIC_RELAXED);
  if (size > sizeof arena || start + need > sizeof arena) {
    errno = ENOMEM;
    return NULL;
  }
  __atomic_fetch_add(&own_malloc_calls, 1, __ATOMIC_RELAXED);
  char *block = arena + start;
  memcpy(block, &size, sizeof size);
  return block + 16;
}

void free(void *block) {
  if (block) __atomic_fetch_add(&own_free_calls, 1, __ATOMIC_RELAXED);
}

void *calloc(size_t n, size_t size) {
  size_t bytes;
  if (__builtin_mul_overflow(n, size, &bytes)) {
    errno = ENOMEM;
    return NULL;
  }
  void *block = malloc(bytes);
  if (block) memset(block, 0, bytes);
  return block;
}

void *realloc(void *block, size_t size) {
  void *moved = malloc(size);
  if (moved && block) {
    size_t old;
    memcpy(&old, (char *)block - 16, sizeof old);
    memcpy(moved, block, old < size ? old : size);
    free(block);
  }
  return moved;
}
