// Calls are rewritten only when the allocation function is a declaration.
// This module defines its own malloc and free (an allocator, or a test
// double): their bodies and the calls to them are left alone, while the
// declared strdup is still rewritten.  Other modules' calls to this malloc
// go through __tm_malloc, which ends up here.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --implicit-check-not=@__tm_malloc --implicit-check-not=@__tm_free
#include <stddef.h>
#include <string.h>

static char arena[1 << 16];
static size_t arena_used;

// CHECK-LABEL: define {{.*}} @malloc(
// CHECK-NOT: call
// CHECK: ret
void *malloc(size_t n) {
  void *block = arena + arena_used;
  arena_used += (n + 15) & ~(size_t)15;
  return block;
}

// CHECK-LABEL: define {{.*}} @free(
void free(void *block) { (void)block; }

// CHECK-LABEL: define {{.*}} @uses_local(
// CHECK: call {{.*}}@malloc(i64
// CHECK: call void @free(
void uses_local(size_t n) { free(malloc(n)); }

// CHECK-LABEL: define {{.*}} @uses_declared(
// CHECK: call {{.*}}@__tm_strdup(
char *uses_declared(const char *s) { return strdup(s); }
