// free and operator delete record no traceback, so a function of the module
// whose calls only free (directly or through other such functions) is proven
// never to reach an allocation: it pushes no frame, and its callers store no
// ring slot for it.  Its free is still rewritten into the runtime's entry.
// RUN: %clang -g -O1 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stdlib.h>

struct node {
  struct node *next;
};
volatile size_t input;

__attribute__((noinline)) static void release(struct node *n) { free(n); }

__attribute__((noinline)) static void release_list(struct node *n) {
  while (n) {
    struct node *next = n->next;
    release(n);
    n = next;
  }
}

__attribute__((noinline)) static void *make(void) { return malloc(16 + input); }

void drop(struct node *n) { release_list(n); }

void *replace(struct node *n) {
  release_list(n);
  void *block = make();
  input = 0;
  return block;
}

// CHECK-LABEL: define {{.*}} @drop(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
// CHECK-LABEL: define {{.*}} @release_list(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
// CHECK-LABEL: define {{.*}} @replace(
// CHECK: load i64, {{.*}}@__tm_shadow_stack
// CHECK-NOT: @__tm_site
// CHECK: call {{.*}}@release_list(
// CHECK: store {{.*}}@__tm_site{{[.0-9]*( to i8\*\))?}}, {{.*}}%tm.slot
// CHECK-NEXT: call {{.*}}@make(
// CHECK: ret
// CHECK-LABEL: define {{.*}} @release(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: call void @__tm_free(
// CHECK-NOT: @__tm_shadow_stack
// CHECK: ret
