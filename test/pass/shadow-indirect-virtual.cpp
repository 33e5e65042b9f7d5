// Calls through a function pointer and virtual calls may reach instrumented
// code, so they get a ring store with their own site record like direct
// calls.
// RUN: %clangxx -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
struct Shape {
  virtual int area(int scale);
};

int through(Shape *shape, int (*scale)(int), int x) {
  int a = shape->area(x);
  return a + scale(x);
}

// CHECK: @[[VIRTUAL:__tm_site[.0-9]*]] = private constant {{.*}} i32 11, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK: @[[POINTER:__tm_site[.0-9]*]] = private constant {{.*}} i32 12, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK-LABEL: define {{.*}} @_Z7throughP5ShapePFiiEi(
// CHECK: [[SLOT:%[^ ]+]] = getelementptr inbounds { i64, [64 x {{i8\*|ptr}}] }, {{.*}}@__tm_shadow_stack, i32 0, i32 1
// CHECK: store {{i8\*|ptr}} {{.*}}@[[VIRTUAL]]{{( to i8\*\))?}}, {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call {{.*}}i32 %{{[^(]+}}(
// CHECK: store {{i8\*|ptr}} {{.*}}@[[POINTER]]{{( to i8\*\))?}}, {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call {{.*}}i32 %{{[^(]+}}(
