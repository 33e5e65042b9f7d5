// setjmp returns a second time from a longjmp in a deeper frame that never
// popped: the depth is healed to d + 1 right after every returns_twice call
// (glibc's setjmp is _setjmp, sigsetjmp is __sigsetjmp).  The call itself
// gets a ring store like any other.
// RUN: %clang -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
#include <setjmp.h>

static jmp_buf env;
static sigjmp_buf signal_env;
void work(void);

// CHECK-LABEL: define {{.*}} @guarded(
// CHECK: [[DEPTH:%[^ ]+]] = load i64, {{.*}}@__tm_shadow_stack
// CHECK-NEXT: [[INNER:%[^ ]+]] = add i64 [[DEPTH]], 1
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call i32 @_setjmp(
// CHECK-NEXT: store i64 [[INNER]], {{.*}}@__tm_shadow_stack
// CHECK: store {{i8\*|ptr}} {{.*}}@__tm_site
// CHECK-NEXT: call i32 @__sigsetjmp(
// CHECK-NEXT: store i64 [[INNER]], {{.*}}@__tm_shadow_stack
// CHECK: call void @work(
int guarded(void) {
  if (setjmp(env))
    return 1;
  if (sigsetjmp(signal_env, 1))
    return 2;
  work();
  return 0;
}
