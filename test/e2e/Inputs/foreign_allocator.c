/* Built without the plugin: a library function of malloc's type that
 * allocates inside itself. */
#include <stdlib.h>
#include <string.h>

void *foreign_allocate(size_t n) {
  void *block = malloc(n);
  if (block) memset(block, 0, n);
  return block;
}
