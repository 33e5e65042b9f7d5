// malloc, calloc, realloc and free calls become calls of their runtime
// entries with the original arguments plus the address of a site record.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{call .*@(malloc|calloc|realloc|free)\(}}'
#include <stdlib.h>

// CHECK-LABEL: define {{.*}} @use_malloc(
// CHECK: %[[P:.*]] = call {{.*}}@__tm_malloc(i64 {{.*}}, {{.*}}@__tm_site
// CHECK: ret {{i8\*|ptr}} %[[P]]
void *use_malloc(size_t n) { return malloc(n); }

// CHECK-LABEL: define {{.*}} @use_calloc(
// CHECK: call {{.*}}@__tm_calloc(i64 {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void *use_calloc(size_t n) { return calloc(n, 8); }

// CHECK-LABEL: define {{.*}} @use_realloc(
// CHECK: call {{.*}}@__tm_realloc({{i8\*|ptr}} {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
void *use_realloc(void *p, size_t n) { return realloc(p, n); }

// CHECK-LABEL: define {{.*}} @use_free(
// CHECK: call void @__tm_free({{i8\*|ptr}} {{.*}}, {{.*}}@__tm_site
void use_free(void *p) { free(p); }

// The entries have the original types plus one trailing pointer.
// CHECK-DAG: declare {{.*}}{{i8\*|ptr}} @__tm_malloc(i64{{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare {{.*}}{{i8\*|ptr}} @__tm_calloc(i64{{.*}}, i64{{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare {{.*}}{{i8\*|ptr}} @__tm_realloc({{i8\*|ptr}}{{.*}}, i64{{.*}}, {{i8\*|ptr}})
// CHECK-DAG: declare void @__tm_free({{i8\*|ptr}}{{.*}}, {{i8\*|ptr}})
