// A sampled dump's exports give the same estimates as its statistics: the
// collapsed stacks sum to what `tm-report top` sums, and both say they are
// sampled (text: a comment line first; JSON: sample_bytes).
// RUN: %tmcc -O0 -g %s -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_SAMPLE=4096 TRACEMALLOC_SAMPLE_SEED=3 TRACEMALLOC_DUMP=%t.tmd %t
// RUN: %tm-report top %t.tmd | FileCheck %s --check-prefix=TEXT
// RUN: %tm-report top --format json --limit 0 %t.tmd > %t.json
// RUN: %tm-report collapsed %t.tmd -o %t.folded
// RUN: %tm-report traceback %t.tmd | FileCheck %s --check-prefix=TRACEBACK
// RUN: %python -c "import json,sys; j=json.load(open(sys.argv[1])); top=sum(s['size'] for s in j['statistics']); folded=sum(int(l.split()[-1]) for l in open(sys.argv[2])); print('rate', j['sample_bytes']); print('equal', top == folded, top > 2 * 4096 * 100)" %t.json %t.folded | FileCheck %s
// TEXT: # sampled: 1 in 4096 bytes, figures are estimates
// TEXT-NEXT: [ Top 1 ]
// TEXT-NEXT: {{.*}}sampled-exports.c:23: size={{[0-9]+}} KiB
// TRACEBACK: # sampled: 1 in 4096 bytes, figures are estimates
// TRACEBACK-NEXT: {{[0-9]+}} memory blocks: {{.*}}
// CHECK: rate 4096
// CHECK-NEXT: equal True True
#include <stdlib.h>

void *keep[4000];

int main(void) {
  for (int i = 0; i < 4000; ++i) keep[i] = malloc(100 + (size_t)(i % 3) * 300);
  return 0;
}
