// In position-independent code that is not for an executable (-fPIC),
// which may be linked into a library loaded without the runtime, an
// allocation calls the runtime's entry when it is loaded and otherwise a
// fallback that calls the original function: one call (an invoke stays an
// invoke), to a select of the two.  The entries and __tm_register_module
// are weak, and the module constructor registers only when the runtime is
// there.  In an executable's code (-fPIE, -fno-pic) calls go to the entries
// directly.
// RUN: %clang -fPIC -g0 -O1 -S -emit-llvm %s -o - | %tmopt -S -o %t.pic.ll
// RUN: FileCheck %s --check-prefix=PIC < %t.pic.ll
// RUN: FileCheck %s --check-prefix=DECL < %t.pic.ll
// RUN: %clang -fPIE -g0 -O1 -S -emit-llvm %s -o - | %tmopt -S | FileCheck %s --check-prefix=EXE
#include <stdlib.h>

void *make(size_t size) { return malloc(size); }
// PIC: define {{.*}}@make(
// PIC: select {{.*}}@__tm_malloc, {{.*}}@__tm_fallback.malloc
// PIC: (i64 {{.*}}, {{.*}}@__tm_site
// PIC: define internal {{.*}}@__tm_fallback.malloc(i64 {{.*}}%0, {{i8\*|ptr}} {{.*}}%1)
// PIC-NEXT: tail call {{.*}}@malloc(i64 {{.*}}%0)
// PIC: define internal void @__tm_module_ctor()
// PIC: br i1 {{.*}}, label %register, label %done
// PIC: register:
// PIC-NEXT: call void @__tm_register_module(
// DECL-DAG: declare extern_weak {{.*}}@__tm_malloc(i64 {{.*}}, {{i8\*|ptr}})
// DECL-DAG: declare extern_weak void @__tm_register_module(

// EXE: call {{.*}}@__tm_malloc(i64 {{.*}}, {{.*}}@__tm_site
// EXE: declare {{.*}}@__tm_malloc(
// EXE-NOT: extern_weak
// EXE-NOT: __tm_fallback
