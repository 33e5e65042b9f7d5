// Library calls that write no memory (memcmp, strlen: LLVM marks their
// declarations readonly) cannot reach malloc: they get no ring store, and a
// function that calls nothing else pushes no frame.  A function the program
// merely declares pure is not trusted: it may allocate.
// RUN: %clang -g0 -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stddef.h>
#include <string.h>

__attribute__((pure)) int lookup(const char *key);
void consume(size_t n);

// CHECK-LABEL: define {{.*}} @compare_only(
// CHECK-NOT: @__tm_
// CHECK: call {{.*}}@memcmp
// CHECK-NOT: @__tm_
// CHECK: ret
int compare_only(const char *a, const char *b, size_t n) {
  return memcmp(a, b, n) + memcmp(b, a, n);
}

// CHECK-LABEL: define {{.*}} @measure_then_call(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK-NOT: @__tm_site
// CHECK: call {{.*}}@strlen
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call {{.*}}@lookup
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call void @consume
// CHECK: ret void
void measure_then_call(const char *text) {
  size_t n = strlen(text) + (size_t)lookup(text);
  consume(n);
  consume(n + 1);
}

// In tail position such a call still ends the frame first, as any tail call:
// nothing between a musttail call and its ret, and a sibling call stays one.
// CHECK-LABEL: define {{.*}} @measure_in_tail(
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call void @consume
// CHECK: store i64 %{{.*}}, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: musttail call {{.*}}@strlen
// CHECK-NEXT: ret
size_t measure_in_tail(const char *text) {
  consume(1);
  __attribute__((musttail)) return strlen(text);
}

// CHECK-LABEL: define {{.*}} @compare_in_tail(
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call void @consume
// CHECK: store i64 %{{.*}}, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: tail call {{.*}}@strcmp
// CHECK-NEXT: ret
int compare_in_tail(const char *a, const char *b) {
  consume(2);
  return strcmp(a, b);
}
