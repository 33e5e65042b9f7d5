// With deep tracebacks, `tm-report top --key-type traceback` prints each
// statistic and its frames (oldest first, with source lines), and
// `tm-report traceback` prints the "biggest block" display of CPython's tracemalloc documentation.
// RUN: %tmcc -O0 -g %s -o %t-O0
// RUN: env TRACEMALLOC=25 TRACEMALLOC_DUMP=%t-O0.tmd %t-O0
// RUN: %tm-report top --key-type traceback --limit 1 %t-O0.tmd | FileCheck %s --check-prefix=TOP
// RUN: %tm-report traceback %t-O0.tmd | FileCheck %s --check-prefix=BIGGEST
// RUN: %tmcc -O2 -g %s -o %t-O2
// RUN: env TRACEMALLOC=25 TRACEMALLOC_DUMP=%t-O2.tmd %t-O2
// RUN: %tm-report top --key-type traceback --limit 1 %t-O2.tmd | FileCheck %s --check-prefix=TOP
// RUN: %tm-report traceback %t-O2.tmd | FileCheck %s --check-prefix=BIGGEST
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
// TOP-NEXT: {{.*}}report-traceback-e2e.c:26: size=870 KiB, count=903, average=987 B
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 26
// TOP-NEXT:     import_all();
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 22
// TOP-NEXT:     keep[i] = load_module();
// TOP-NEXT:   File "{{.*}}report-traceback-e2e.c", line 17
// TOP-NEXT:     return malloc(987);
// BIGGEST: 903 memory blocks: 870.4 KiB
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 26
// BIGGEST-NEXT:     import_all();
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 22
// BIGGEST-NEXT:     keep[i] = load_module();
// BIGGEST-NEXT:   File "{{.*}}report-traceback-e2e.c", line 17
// BIGGEST-NEXT:     return malloc(987);
