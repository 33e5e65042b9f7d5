// The demo's dump through pprof: `go tool pprof -top` lists the functions of
// examples/word_count.c and accounts for exactly top's total.
// REQUIRES: go-pprof
// RUN: %tmcc -O2 -g %S/../../examples/word_count.c -o %t
// RUN: env TRACEMALLOC=1 TRACEMALLOC_DUMP=%t.tmd %t %S/../../examples/word_count.c
// RUN: %tm-report pprof %t.tmd -o %t.pb.gz
// RUN: go tool pprof -top -unit=B -nodefraction=0 %t.pb.gz > %t.top 2>&1
// RUN: FileCheck %s < %t.top
// RUN: %python %S/../report/Inputs/export_totals.py pprof %t.top > %t.pprof-total
// RUN: %tm-report top --limit 0 --format json %t.tmd > %t.top.json
// RUN: %python %S/../report/Inputs/export_totals.py top %t.top.json | cut -d' ' -f1 | diff - %t.pprof-total
// CHECK: Type: inuse_space
// CHECK-DAG: table_add
// CHECK-DAG: table_grow
