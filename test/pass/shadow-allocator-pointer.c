// An indirect call of an allocation function's type compares its callee with
// that function before the call, and its ring store writes the call's record
// flagged TM_SITE_CALLS_ALLOCATOR (2) when they are equal, the plain record
// otherwise.  malloc and realloc are declared for the comparison although
// the file never names them.
// RUN: %clang -g -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - \
// RUN:   | %tmopt -S | FileCheck %s
typedef __SIZE_TYPE__ size_t;

struct allocator {
  void *(*alloc)(size_t);
  void *(*resize)(void *, size_t);
};

void use(void *);

void *through(struct allocator *a, size_t n) {
  void *p = a->alloc(n);
  use(p);
  return a->resize(p, 2 * n);
}

// CHECK: @[[ALLOC:__tm_site[.0-9]*]] = private constant {{.*}} i32 18, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK: @[[ALLOC_OWN:__tm_site[.0-9]*]] = private constant {{.*}} i32 18, i16 {{[0-9]+}}, i16 2, i32 0 }, section "__tm_sites"
// CHECK: @[[USE:__tm_site[.0-9]*]] = private constant {{.*}} i32 19, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK: @[[RESIZE:__tm_site[.0-9]*]] = private constant {{.*}} i32 20, i16 {{[0-9]+}}, i16 0, i32 0 }, section "__tm_sites"
// CHECK: @[[RESIZE_OWN:__tm_site[.0-9]*]] = private constant {{.*}} i32 20, i16 {{[0-9]+}}, i16 2, i32 0 }, section "__tm_sites"

// CHECK-LABEL: define {{.*}} @through(
// CHECK: [[SLOT:%[^ ]+]] = getelementptr inbounds { i64, [64 x {{i8\*|ptr}}] }, {{.*}}@__tm_shadow_stack, i32 0, i32 1
// CHECK: [[IS_MALLOC:%[^ ]+]] = icmp eq {{i8\*|ptr}} %{{[^,]+}}, {{.*}}@malloc
// CHECK-NEXT: [[SITE:%[^ ]+]] = select i1 [[IS_MALLOC]], {{i8\*|ptr}} {{.*}}@[[ALLOC_OWN]]{{.*}}, {{i8\*|ptr}} {{.*}}@[[ALLOC]]
// CHECK-NEXT: store {{i8\*|ptr}} [[SITE]], {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call {{.*}} %{{[^(]+}}(i64
// The direct call is named as always.
// CHECK: store {{i8\*|ptr}} {{.*}}@[[USE]]{{( to i8\*\))?}}, {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call void @use(
// CHECK: [[IS_REALLOC:%[^ ]+]] = icmp eq {{i8\*|ptr}} %{{[^,]+}}, {{.*}}@realloc
// CHECK-NEXT: [[SITE2:%[^ ]+]] = select i1 [[IS_REALLOC]], {{i8\*|ptr}} {{.*}}@[[RESIZE_OWN]]{{.*}}, {{i8\*|ptr}} {{.*}}@[[RESIZE]]
// CHECK-NEXT: store {{i8\*|ptr}} [[SITE2]], {{i8\*\*|ptr}} [[SLOT]]
// CHECK-NEXT: call {{.*}} %{{[^(]+}}({{i8\*|ptr}}

// CHECK-DAG: declare {{.*}}@malloc(i64)
// CHECK-DAG: declare {{.*}}@realloc({{i8\*|ptr}}, i64)
