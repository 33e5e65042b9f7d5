// A custom allocator tracks its blocks in domain 7 with tm_track/tm_untrack
// (CPython's PyTraceMalloc_Track/Untrack): they appear in the traced size,
// in dumps and reports, with the tm_track call site as most recent frame,
// and DomainFilter (--include-domain/--exclude-domain) selects them.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC_DUMP=%t.tmd %t | FileCheck %s
// RUN: %tm-report top --include-domain 7 %t.tmd | FileCheck %s --check-prefix=POOL
// RUN: %tm-report top --exclude-domain 7 %t.tmd | FileCheck %s --check-prefix=HEAP
// RUN: %tm-report top --key-type traceback --include-domain 7 %t.tmd | FileCheck %s --check-prefix=CALLERS
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tracemalloc/tracemalloc.h>

enum { kPoolDomain = 7 };
static char pool[1 << 16];
static size_t pool_used;

static void *pool_alloc(size_t size) {
  void *block = pool + pool_used;
  pool_used += (size + 15) & ~(size_t)15;
  tm_track(kPoolDomain, (uintptr_t)block, size);
  return block;
}

static void pool_free(void *block) { tm_untrack(kPoolDomain, (uintptr_t)block); }

static void *make_widget(void) { return pool_alloc(640); }

void *volatile heap_block;

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  printf("not tracing: %d %d\n", tm_track(kPoolDomain, 0x1000, 1), tm_untrack(kPoolDomain, 0x1000));
  tm_start(4);
  heap_block = malloc(100);
  void *a = make_widget();
  void *b = make_widget();
  void *c = pool_alloc(48);
  pool_free(b);
  size_t current, peak;
  tm_get_traced_memory(&current, &peak);
  printf("traced: %zu peak: %zu\n", current, peak);
  (void)a;
  (void)c;
  return 0;
}
// CHECK: not tracing: -2 -2
// CHECK-NEXT: traced: 788 peak: 1428

// POOL: [ Top 1 ]
// POOL-NEXT: rt-domains.c:22: size=688 B, count=2, average=344 B

// HEAP: [ Top 1 ]
// HEAP-NEXT: rt-domains.c:36: size=100 B, count=1, average=100 B

// CALLERS: rt-domains.c:{{[0-9]+}}: size=640 B, count=1, average=640 B
// CALLERS-NEXT: File "{{.*}}rt-domains.c", line 37
// CALLERS-NEXT: void *a = make_widget();
// CALLERS-NEXT: File "{{.*}}rt-domains.c", line 28
// CALLERS-NEXT: static void *make_widget(void) { return pool_alloc(640); }
// CALLERS-NEXT: File "{{.*}}rt-domains.c", line 22
// CALLERS-NEXT: tm_track(kPoolDomain, (uintptr_t)block, size);
