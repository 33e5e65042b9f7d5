// An indirect call in tail position that may be calling an allocation
// function stays inside the frame: its ring store names it (flagged when
// the callee is malloc) and the frame is popped after it, so the block the
// callee allocates has the call as its frame.  Other tail calls still pop
// first and stay jumps.
// RUN: %clang -O2 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
typedef __SIZE_TYPE__ size_t;

struct suite {
  void *(*malloc_fcn)(size_t);
  int (*count)(int);
};

void *wrap(struct suite *s, size_t n) { return s->malloc_fcn(n); }

int other(struct suite *s, int x) { return s->count(x); }

// CHECK-LABEL: define {{.*}} @wrap(
// CHECK: [[DEPTH:%tm.depth[0-9]*]] = load i64
// CHECK: [[SLOT:%[^ ]+]] = getelementptr inbounds { i64, [64 x {{i8\*|ptr}}] }, {{.*}}@__tm_shadow_stack, i32 0, i32 1
// CHECK: icmp eq {{i8\*|ptr}} %{{[^,]+}}, {{.*}}@malloc
// CHECK-NEXT: [[SITE:%[^ ]+]] = select i1
// CHECK-NEXT: store {{i8\*|ptr}} [[SITE]], {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: [[BLOCK:%[^ ]+]] = tail call {{.*}} %{{[^(]+}}(i64
// CHECK-NEXT: store i64 [[DEPTH]], {{.*}}@__tm_shadow_stack
// CHECK-NEXT: ret {{i8\*|ptr}} [[BLOCK]]

// CHECK-LABEL: define {{.*}} @other(
// CHECK-NOT: __tm_shadow_stack
// CHECK: tail call {{.*}}i32 %
// CHECK-NEXT: ret i32
