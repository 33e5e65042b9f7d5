// Under -fno-builtin a function with a library name may be the program's
// own (glibc's headers still declare strlen pure): its call keeps its ring
// store, so an allocation inside it sees its caller's frame.
// RUN: %clang -g0 -O2 -fno-builtin -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
#include <stddef.h>
#include <string.h>

void consume(size_t n);

// CHECK-LABEL: define {{.*}} @measure(
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call {{.*}}@strlen
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call void @consume
void measure(const char *text) {
  size_t n = strlen(text);
  consume(n);
  consume(n + 1);
}
