// Two dumps of one program, given together to tm-report, are merged: the
// merged totals of the live traces and of the peak view are the two dumps'
// totals added; --each reports on each dump under its own header.
// RUN: %tmcc -O1 -g %s -o %t
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.a.tmd %t 10
// RUN: env TRACEMALLOC=4 TRACEMALLOC_DUMP=%t.b.tmd %t 25
// RUN: %tm-report top --limit 0 --format json %t.a.tmd > %t.a.json
// RUN: %tm-report top --limit 0 --format json %t.b.tmd > %t.b.json
// RUN: %tm-report top --limit 0 --format json %t.a.tmd %t.b.tmd > %t.ab.json
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.a.json > %t.a
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.b.json > %t.b
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.ab.json > %t.ab
// RUN: %python %testsrc/report/Inputs/add_totals.py %t.a %t.b | diff - %t.ab
// RUN: %tm-report top --peak --limit 0 --format json %t.a.tmd > %t.pa.json
// RUN: %tm-report top --peak --limit 0 --format json %t.b.tmd > %t.pb.json
// RUN: %tm-report top --peak --limit 0 --format json %t.a.tmd %t.b.tmd > %t.pab.json
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.pa.json > %t.pa
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.pb.json > %t.pb
// RUN: %python %testsrc/report/Inputs/export_totals.py top %t.pab.json > %t.pab
// RUN: %python %testsrc/report/Inputs/add_totals.py %t.pa %t.pb | diff - %t.pab
// RUN: %tm-report top %t.a.tmd %t.b.tmd --include '*report-merge-dumps.c' | FileCheck %s
// RUN: %tm-report top --each %t.a.tmd %t.b.tmd --include '*report-merge-dumps.c' | FileCheck %s --check-prefix=EACH
#include <stdlib.h>

static void *keep[64];

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1;
  for (int i = 0; i < n; i++)
    keep[i] = malloc(100); // CHECK: report-merge-dumps.c:[[@LINE]]: size=3500 B, count=35, average=100 B
  for (int i = 0; i < n; i++)
    free(malloc(1000 * (i + 1)));
  return 0;
}
// EACH: ==> {{.*}}.a.tmd <==
// EACH-NEXT: [ Top 1 ]
// EACH-NEXT: report-merge-dumps.c:{{[0-9]+}}: size=1000 B, count=10, average=100 B
// EACH: ==> {{.*}}.b.tmd <==
// EACH-NEXT: [ Top 1 ]
// EACH-NEXT: report-merge-dumps.c:{{[0-9]+}}: size=2500 B, count=25, average=100 B
