// The shadow stack is the runtime's { uintptr_t depth; const tm_site
// *ring[64]; }, referenced as an external thread_local(initialexec) global
// and never dso_local (the runtime may be a shared library; a dso_local TLS
// symbol would be accessed local-exec), whatever the relocation model.
// Position-independent code that is not for an executable (-fPIC) may go
// into a library loaded without the runtime: the reference is weak there,
// and frames go to the module's own ring when the runtime is absent.
// RUN: %clang -fPIC -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s --check-prefix=PIC
// RUN: %clang -fPIE -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
// RUN: %clang -fno-pic -g0 -O0 -Xclang -disable-O0-optnone -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s
int callee(int);

// CHECK: {{^}}@__tm_shadow_stack = external thread_local(initialexec) global { i64, [64 x {{i8\*|ptr}}] }{{$}}
// CHECK-NOT: @__tm_shadow_stack{{.*}} =

// PIC: {{^}}@__tm_shadow_stack = extern_weak thread_local(initialexec) global { i64, [64 x {{i8\*|ptr}}] }{{$}}
// PIC: {{^}}@__tm_shadow_stack.fallback = internal global { i64, [64 x {{i8\*|ptr}}] } zeroinitializer{{$}}
// PIC-NOT: @__tm_shadow_stack{{.*}} =
// PIC: define {{.*}}@caller(
// PIC: icmp ne {{\(?}}{{.*}}@__tm_register_module, {{.*}}null
// PIC: select {{.*}}@__tm_shadow_stack, {{.*}}@__tm_shadow_stack.fallback
// PIC: declare extern_weak void @__tm_register_module(
int caller(int x) { return callee(x); }
