// strdup and strndup allocate: they are rewritten like malloc.
// RUN: %clang -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not='{{call .*@(strdup|strndup)\(}}'
#include <string.h>

// CHECK-LABEL: define {{.*}} @use_strdup(
// CHECK: call {{.*}}@__tm_strdup({{i8\*|ptr}} {{.*}}, {{.*}}@__tm_site
char *use_strdup(const char *s) { return strdup(s); }

// CHECK-LABEL: define {{.*}} @use_strndup(
// CHECK: call {{.*}}@__tm_strndup({{i8\*|ptr}} {{.*}}, i64 {{.*}}, {{.*}}@__tm_site
char *use_strndup(const char *s, size_t n) { return strndup(s, n); }
