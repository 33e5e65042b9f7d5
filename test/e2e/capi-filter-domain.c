// tm_snapshot_filter_traces and domains: a DomainFilter (filename_pattern
// NULL) keeps or drops the traces of one domain; a Filter's domain restricts
// its pattern to that domain (exclusive: traces of other domains stay), -1
// is any domain.  Blocks of a pool are tracked in domain 7 with tm_track.
// Each result lists as `tm-report top` with the same filters on the dump.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=2 %t %t.tmd %t.lines | FileCheck %s
// RUN: %tm-report top --limit 0 --include-domain 7 %t.tmd | diff - %t.lines.pool
// RUN: %tm-report top --limit 0 --exclude-domain 7 %t.tmd | diff - %t.lines.heap
// RUN: %tm-report top --limit 0 --include '*domain.c' --domain 7 %t.tmd | diff - %t.lines.in-7
// RUN: %tm-report top --limit 0 --exclude '*domain.c:28' --domain 7 %t.tmd | diff - %t.lines.not-28-in-7
// RUN: %tm-report top --limit 0 --include '*domain.c:36' --domain 7 %t.tmd | diff - %t.lines.heap-line-in-7
// RUN: %tm-report top --limit 0 --include '*domain.c:36' %t.tmd | diff - %t.lines.any-domain
// RUN: FileCheck %s --check-prefix=POOL --input-file %t.lines.pool
// RUN: FileCheck %s --check-prefix=NOT28 --input-file %t.lines.not-28-in-7
#include <stdint.h>
#include "Inputs/capi_stats.h"

enum { kPoolDomain = 7 };
static char pool[1 << 12];
static size_t pool_used;

static void *pool_block(size_t step) {
  void *block = pool + pool_used;
  pool_used += step;
  return block;
}
static void track_small(void *block) { tm_track(kPoolDomain, (uintptr_t)block, 48); }
static void track_big(void *block) { tm_track(kPoolDomain, (uintptr_t)block, 512); }

void *keep[8];

int main(int argc, char **argv) {
  int n = 0;
  (void)argc;
  keep[n++] = malloc(1000);
  for (int i = 0; i < 2; i++) track_small(keep[n++] = pool_block(64));
  track_big(keep[n++] = pool_block(512));
  tm_snapshot *snapshot = tm_take_snapshot();
  if (tm_snapshot_dump(snapshot, argv[1]) != 0) return 1;

  tm_filter pool_only = {1, NULL, -1, 0, kPoolDomain};
  capi_write_filtered(snapshot, "pool", &pool_only, 1, argv[2]);
  tm_filter heap_only = {0, NULL, -1, 0, kPoolDomain};
  capi_write_filtered(snapshot, "heap", &heap_only, 1, argv[2]);
  tm_filter in_7 = {1, "*domain.c", -1, 0, kPoolDomain};
  capi_write_filtered(snapshot, "in-7", &in_7, 1, argv[2]);
  tm_filter not_28_in_7 = {0, "*domain.c", 28, 0, kPoolDomain};
  capi_write_filtered(snapshot, "not-28-in-7", &not_28_in_7, 1, argv[2]);
  tm_filter heap_line_in_7 = {1, "*domain.c", 36, 0, kPoolDomain};
  capi_write_filtered(snapshot, "heap-line-in-7", &heap_line_in_7, 1, argv[2]);
  tm_filter any_domain = {1, "*domain.c", 36, 0, -1};
  capi_write_filtered(snapshot, "any-domain", &any_domain, 1, argv[2]);
  tm_snapshot_free(snapshot);
  return 0;
}
// CHECK: pool: 3 traces
// CHECK-NEXT: heap: 1 traces
// CHECK-NEXT: in-7: 3 traces
// CHECK-NEXT: not-28-in-7: 2 traces
// CHECK-NEXT: heap-line-in-7: 0 traces
// CHECK-NEXT: any-domain: 1 traces

// POOL: [ Top 2 ]
// POOL-NEXT: capi-filter-domain.c:29: size=512 B, count=1, average=512 B
// POOL-NEXT: capi-filter-domain.c:28: size=96 B, count=2, average=48 B
// POOL-EMPTY:

// NOT28: [ Top 2 ]
// NOT28-NEXT: capi-filter-domain.c:36: size=1000 B, count=1, average=1000 B
// NOT28-NEXT: capi-filter-domain.c:29: size=512 B, count=1, average=512 B
// NOT28-EMPTY:
