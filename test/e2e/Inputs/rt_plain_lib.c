// Built WITHOUT the TraceMalloc plugin (plain clang -shared): its
// allocations and frees reach the runtime only through the interposed
// malloc & co.
#include <stdlib.h>
#include <string.h>

void *plain_alloc(size_t size) { return malloc(size); }
void plain_free(void *block) { free(block); }
char *plain_copy(const char *text) { return strdup(text); }
void *plain_grow(void *block, size_t size) { return realloc(block, size); }
