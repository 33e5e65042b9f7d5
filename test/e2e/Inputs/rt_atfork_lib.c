// Built WITHOUT the plugin.  Registers, before the runtime's initialiser
// runs, fork handlers that allocate: with the static runtime they run after
// the runtime's own prepare handler, while it holds its locks.
#include <pthread.h>
#include <stdlib.h>

void *volatile atfork_block;

static void prepare(void) { atfork_block = malloc(4321); }
static void parent(void) { free(atfork_block); }
static void child(void) { free(atfork_block); }

__attribute__((constructor)) static void register_handlers(void) {
  pthread_atfork(prepare, parent, child);
}
