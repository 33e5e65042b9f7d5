// The entries and the rewritten calls keep the original attributes except
// those that mark an allocator (builtin, allocsize, allockind,
// alloc-family, allocalign, allocptr) and memory effects: otherwise later
// passes or LTO could treat __tm_malloc as malloc and elide or move it.
// globaldce drops the now unused original declarations, which keep theirs.
// RUN: %clangxx -O1 -S -emit-llvm %s -o - \
// RUN:   | %opt -load-pass-plugin=%plugin -passes=tracemalloc,globaldce -S \
// RUN:   | FileCheck %s --implicit-check-not=allocsize --implicit-check-not=allockind \
// RUN:       --implicit-check-not=alloc-family --implicit-check-not=allocalign \
// RUN:       --implicit-check-not=allocptr --implicit-check-not='{{[^o]builtin}}' \
// RUN:       --implicit-check-not='memory(' --implicit-check-not=inaccessiblemem
#include <stdlib.h>
#include <cstddef>

// CHECK-LABEL: define {{.*}} @_Z8new_intsm(
// CHECK: call noalias {{.*}}@__tm__Znam(
int *new_ints(std::size_t n) { return new int[n]; }

// CHECK-LABEL: define {{.*}} @_Z7alignedm(
// CHECK: call noalias {{.*}}@__tm_aligned_alloc(
void *aligned(std::size_t n) { return aligned_alloc(64, n); }

// CHECK-LABEL: define {{.*}} @_Z7releasePv(
// CHECK: call void @__tm_free(
void release(void *p) { free(p); }

// CHECK: declare {{.*}}@__tm__Znam(
// CHECK: declare {{.*}}@__tm_aligned_alloc(
// CHECK: declare {{.*}}@__tm_free(
// CHECK: attributes
