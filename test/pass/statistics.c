// The pass counts what it does as LLVM statistics: `clang -save-stats`
// writes them on any LLVM, `-mllvm -stats` prints them on an LLVM built with
// statistics.  Here: one allocation call rewritten, one call site named in
// a ring slot, two records (the allocation's and the call's), one frame,
// one module registered.
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %clang -fplugin=%plugin -fpass-plugin=%plugin -O1 -g -c %s -o %t/statistics.o -save-stats=obj
// RUN: FileCheck %s < %t/statistics.stats
#include <stdlib.h>

int work(int);

void *allocates(size_t n) {
  work(1);
  return malloc(n);
}

// CHECK-DAG: "tracemalloc.NumAllocationCallsRewritten": 1
// CHECK-DAG: "tracemalloc.NumFramesPushed": 1
// CHECK-DAG: "tracemalloc.NumModulesRegistered": 1
// CHECK-DAG: "tracemalloc.NumRingStores": 1
// CHECK-DAG: "tracemalloc.NumSiteRecords": 2
