// Traces of custom allocators (tm_track in a domain other than 0) are in the
// views with their domain: allocated, temporary when untracked before the
// thread's next allocation, and live at the peak.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --allocated --include-domain 7 %t.tmd | FileCheck %s --check-prefix=ALLOCATED
// RUN: %tm-report top --temporary --include-domain 7 %t.tmd | FileCheck %s --check-prefix=TEMPORARY
// RUN: %tm-report top --peak --include-domain 7 %t.tmd | FileCheck %s --check-prefix=PEAK
#include <stdint.h>
#include <tracemalloc/tracemalloc.h>

static char arena[1 << 16];

int main(void) {
  for (int i = 0; i < 10; ++i) {
    tm_track(7, (uintptr_t)&arena[i * 100], 100);  // line 16
    tm_untrack(7, (uintptr_t)&arena[i * 100]);
  }
  tm_track(7, (uintptr_t)&arena[5000], 30000);  // line 19: the peak, then untracked
  tm_track(7, (uintptr_t)&arena[40000], 20);    // line 20: still tracked at exit
  tm_untrack(7, (uintptr_t)&arena[5000]);
  return 0;
}
// ALLOCATED: [ Top 3 ]
// ALLOCATED-NEXT: views-domains.c:19: size=29.3 KiB, count=1, average=29.3 KiB
// ALLOCATED-NEXT: views-domains.c:16: size=1000 B, count=10, average=100 B
// ALLOCATED-NEXT: views-domains.c:20: size=20 B, count=1, average=20 B
// TEMPORARY: [ Top 1 ]
// TEMPORARY-NEXT: views-domains.c:16: size=1000 B, count=10, average=100 B
// TEMPORARY-EMPTY:
// PEAK: [ Top 2 ]
// PEAK-NEXT: views-domains.c:19: size=29.3 KiB, count=1, average=29.3 KiB
// PEAK-NEXT: views-domains.c:20: size=20 B, count=1, average=20 B
