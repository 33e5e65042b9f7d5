// Built WITHOUT the plugin.  keep_block() allocates a block (traced as
// foreign code's while tracing); fork handlers registered before the
// runtime's initialiser runs free it, in the parent and in the child, while
// the runtime holds its locks for the fork (static runtime).
#include <pthread.h>
#include <stdlib.h>

static void *volatile kept;

void keep_block(size_t size) { kept = malloc(size); }

static void release(void) {
  free(kept);
  kept = NULL;
}

__attribute__((constructor)) static void register_handlers(void) {
  pthread_atfork(NULL, release, release);
}
