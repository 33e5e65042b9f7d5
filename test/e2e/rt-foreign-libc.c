// libc's own allocations (fopen's FILE, getline's buffer) are traced as
// "<unknown>":0 plus the instrumented call site, and their frees remove them;
// strdup called through a pointer is an allocation function: the call's own.
// RUN: %tmcc -O2 -g %s -o %t
// RUN: env TRACEMALLOC=3 TRACEMALLOC_DUMP=%t.tmd %t %t.extra.tmd | FileCheck %s --check-prefix=COUNTS
// RUN: %tm-report top --key-type traceback --limit 0 %t.tmd > %t.report
// RUN: FileCheck %s --check-prefix=STRDUP < %t.report
// RUN: FileCheck %s --check-prefix=FOPEN < %t.report
// RUN: FileCheck %s --check-prefix=GETLINE < %t.report
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tracemalloc/tracemalloc.h>

// Through a pointer: not rewritten, so it reaches malloc from inside glibc,
// and the call's ring record says that its callee is strdup itself.
char *(*volatile hidden_strdup)(const char *) = strdup;

static size_t current(void) {
  size_t now, peak;
  tm_get_traced_memory(&now, &peak);
  return now;
}

FILE *kept_file;
char *kept_line;
char *kept_copy;

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  kept_copy = hidden_strdup("0123456789");
  printf("strdup: %zu\n", current());
  kept_file = fopen("/proc/self/cmdline", "r");
  size_t after_fopen = current();
  printf("fopen traced: %d\n", after_fopen > 11);
  size_t capacity = 0;
  ssize_t length = getline(&kept_line, &capacity, kept_file);
  printf("getline traced: %d\n", length > 0 && current() > after_fopen);
  // The tracer's own allocations (snapshot, encoding) are never traced.
  size_t before_dump = current();
  int dumped = argc > 1 && tm_dump(argv[1]) == 0;
  printf("dump adds nothing: %d %d\n", dumped, current() == before_dump);
  return 0;
}
// COUNTS: strdup: 11
// COUNTS-NEXT: fopen traced: 1
// COUNTS-NEXT: getline traced: 1
// COUNTS-NEXT: dump adds nothing: 1 1

// STRDUP: size=11 B, count=1
// STRDUP-NEXT: File "{{.*}}rt-foreign-libc.c", line 32
// STRDUP-NEXT: kept_copy = hidden_strdup("0123456789");
// STRDUP-NOT: <unknown>

// FOPEN: File "{{.*}}rt-foreign-libc.c", line 34
// FOPEN-NEXT: kept_file = fopen("/proc/self/cmdline", "r");
// FOPEN-NEXT: File "<unknown>", line 0

// getline is an inline wrapper of __getdelim in glibc's headers.
// GETLINE: File "{{.*}}rt-foreign-libc.c", line 38
// GETLINE-NEXT: ssize_t length = getline(&kept_line, &capacity, kept_file);
// GETLINE: File "<unknown>", line 0
