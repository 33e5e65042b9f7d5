// A shared library built without the plugin allocates and frees: its blocks
// are traced as "<unknown>":0 followed by the instrumented caller's frames,
// and a block allocated on one side and freed on the other leaves no trace.
// RUN: %clang -O2 -shared -fPIC %S/Inputs/rt_plain_lib.c -o %t.plain.so
// RUN: %tmcc -O0 -g %s %t.plain.so -Wl,-rpath,%T -o %t
// RUN: env TRACEMALLOC=5 TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s --check-prefix=COUNTS
// RUN: %tm-report top --key-type traceback %t.tmd | FileCheck %s --check-prefix=TRACEBACK
// Same with the static runtime.
// RUN: env TM_CLANG_STATIC=1 %tmcc -O0 -g %s %t.plain.so -Wl,-rpath,%T -o %t.static
// RUN: env TRACEMALLOC=5 %t.static | FileCheck %s --check-prefix=COUNTS
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

void *plain_alloc(size_t size);
void plain_free(void *block);
char *plain_copy(const char *text);
void *plain_grow(void *block, size_t size);

static size_t current(void) {
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  return now;
}

void *kept;

static void *from_library(void) {
  return plain_alloc(1000);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0); // no stdio buffer in the counts
  void *theirs = plain_alloc(300);
  printf("library malloc: %zu\n", current());
  free(theirs); // instrumented free of a foreign block
  printf("freed here: %zu\n", current());
  void *ours = malloc(200);
  plain_free(ours); // foreign free of an instrumented block
  printf("freed there: %zu\n", current());
  char *copy = plain_copy("sixteen chars!!");
  printf("library strdup: %zu\n", current());
  copy = plain_grow(copy, 5000);
  printf("library realloc: %zu\n", current());
  plain_free(copy);
  printf("all freed: %zu\n", current());
  kept = from_library();
  return 0;
}
// COUNTS: library malloc: 300
// COUNTS-NEXT: freed here: 0
// COUNTS-NEXT: freed there: 0
// COUNTS-NEXT: library strdup: 16
// COUNTS-NEXT: library realloc: 5000
// COUNTS-NEXT: all freed: 0

// TRACEBACK: [ Top 1 ]
// TRACEBACK-NEXT: rt-foreign-shared-lib.c:47: size=1000 B, count=1, average=1000 B
// TRACEBACK-NEXT:   File "{{.*}}rt-foreign-shared-lib.c", line 47
// TRACEBACK-NEXT:     kept = from_library();
// TRACEBACK-NEXT:   File "{{.*}}rt-foreign-shared-lib.c", line 29
// TRACEBACK-NEXT:     return plain_alloc(1000);
// TRACEBACK-NEXT:   File "<unknown>", line 0
