/* Allocations of a second source file, for the capi-*.c tests that group by
 * file name. */
#include <stdlib.h>

void *capi_other_file_alloc(size_t size) {
  return malloc(size);
}
