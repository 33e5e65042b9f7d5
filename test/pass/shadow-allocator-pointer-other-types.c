// Indirect calls that cannot be calling an allocation function are named
// with their plain record and compared with nothing: other types, and the
// freeing functions' type (free allocates nothing).  Under -ffreestanding
// there may be no malloc: it is neither compared nor declared.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --check-prefixes=CHECK,HOSTED
// RUN: %clang -ffreestanding -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s --check-prefixes=CHECK,FREESTANDING
typedef __SIZE_TYPE__ size_t;

struct callbacks {
  int (*count)(int);
  void (*release)(void *);
};

int others(struct callbacks *c, void *block) {
  c->release(block);
  return c->count(1);
}

void *(*volatile plugged)(size_t);

void *allocate(size_t n) { return plugged(n); }

// CHECK-LABEL: define {{.*}} @others(
// CHECK-NOT: icmp
// CHECK-NOT: select
// CHECK: ret i32

// HOSTED-LABEL: define {{.*}} @allocate(
// HOSTED: icmp eq {{i8\*|ptr}} %{{[^,]+}}, {{.*}}@malloc
// FREESTANDING-LABEL: define {{.*}} @allocate(
// FREESTANDING-NOT: icmp
// FREESTANDING-NOT: @malloc
