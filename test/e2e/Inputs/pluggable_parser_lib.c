/* An instrumented shared library with a pluggable allocator, as expat's:
 * the program hands it malloc, and the library calls it through the
 * pointer. */
#include <stddef.h>

struct memory_suite {
  void *(*malloc_fcn)(size_t);
};

void *parser_buffer(const struct memory_suite *memory, size_t size) {
  void *buffer = memory->malloc_fcn(size);
  return buffer ? (char *)buffer + 0 : NULL;
}
