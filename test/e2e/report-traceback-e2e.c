// With deep tracebacks, `tm-report top --key-type traceback` prints each
// statistic and its frames (oldest first, with source lines), and
// `tm-report traceback` prints the seed's "biggest block" display.
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=25 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top --key-type traceback --limit 1 %t.tmd | FileCheck %s --check-prefix=TOP
// RUN: %tm-report traceback %t.tmd | FileCheck %s --check-prefix=BIGGEST
#include <stdlib.h>

void *keep[903];

void *load_module(void) {
  return malloc(987);
}

void import_all(void) {
  for (int i = 0; i < 903; i++)
    keep[i] = load_module();
}

int main(void) {
  import_all();
  return 0;
}
// TOP: [ Top 1 ]
// TOP-NEXT: {{.*}}report-traceback-e2e.c:22: size=870 KiB, count=903, average=987 B
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 22
// TOP-NEXT:     import_all();
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 18
// TOP-NEXT:     keep[i] = load_module();
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 13
// TOP-NEXT:     return malloc(987);
// BIGGEST: 903 memory blocks: 870.4 KiB
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 22
// BIGGEST-NEXT:     import_all();
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 18
// BIGGEST-NEXT:     keep[i] = load_module();
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 13
// BIGGEST-NEXT:     return malloc(987);
