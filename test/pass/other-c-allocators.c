// reallocarray and pvalloc are unknown to TargetLibraryInfo (matched by
// name and prototype); aligned_alloc, posix_memalign, memalign and valloc
// are checked by TargetLibraryInfo.  All are rewritten.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{call .*@(reallocarray|aligned_alloc|posix_memalign|memalign|valloc|pvalloc)\(}}'
#define _GNU_SOURCE
#include <malloc.h>
#include <stdlib.h>

// CHECK-LABEL: define {{.*}} @use_reallocarray(
// CHECK: call {{.*}}@__tm_reallocarray({{i8\*|ptr}} {{.*}}, i64 {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void *use_reallocarray(void *p, size_t n) { return reallocarray(p, n, 16); }

// CHECK-LABEL: define {{.*}} @use_aligned_alloc(
// CHECK: call {{.*}}@__tm_aligned_alloc(i64 {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void *use_aligned_alloc(size_t n) { return aligned_alloc(64, n); }

// CHECK-LABEL: define {{.*}} @use_posix_memalign(
// CHECK: call {{.*}}i32 @__tm_posix_memalign({{i8\*\*|ptr}} {{.*}}, i64 {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
int use_posix_memalign(void **out, size_t n) { return posix_memalign(out, 32, n); }

// CHECK-LABEL: define {{.*}} @use_memalign(
// CHECK: call {{.*}}@__tm_memalign(i64 {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void *use_memalign(size_t n) { return memalign(128, n); }

// CHECK-LABEL: define {{.*}} @use_valloc(
// CHECK: call {{.*}}@__tm_valloc(i64 {{.*}}, {{.*}}@__tm_site
void *use_valloc(size_t n) { return valloc(n); }

// CHECK-LABEL: define {{.*}} @use_pvalloc(
// CHECK: call {{.*}}@__tm_pvalloc(i64 {{.*}}, {{.*}}@__tm_site
void *use_pvalloc(size_t n) { return pvalloc(n); }
