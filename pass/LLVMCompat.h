//===- LLVMCompat.h - the only place that knows LLVM versions --*- C++ -*-===//
//
// TraceMallocPass is built against LLVM 14 (typed pointers, memory effects
// as separate enum attributes) and LLVM 19 (opaque pointers, `memory(...)`,
// allocator attributes).  Every `#if LLVM_VERSION_MAJOR` lives here so that
// TraceMallocPass.cpp reads the same on both.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_LLVMCOMPAT_H
#define TRACEMALLOC_PASS_LLVMCOMPAT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/Attributes.h"
#include "llvm/IR/DerivedTypes.h"
// AttributeMask moved out of Attributes.h into its own header in LLVM 16.
#if __has_include("llvm/IR/AttributeMask.h")
#include "llvm/IR/AttributeMask.h"
#endif

namespace tmcompat {

/// StringRef::startswith is gone in LLVM 19 and starts_with is missing in 14.
inline bool startsWith(llvm::StringRef Text, llvm::StringRef Prefix) {
  return Text.size() >= Prefix.size() &&
         Text.substr(0, Prefix.size()) == Prefix;
}

/// Function-level attributes that say "this is an allocator": with them,
/// later passes (and LTO) may treat the runtime entry as malloc itself and
/// elide a __tm_malloc/__tm_free pair, or fold its result, and the traced
/// program would then allocate differently from the untraced one.
inline llvm::AttributeMask allocatorFunctionAttributes() {
  llvm::AttributeMask Mask;
  Mask.addAttribute(llvm::Attribute::Builtin);
  Mask.addAttribute(llvm::Attribute::AllocSize);
  Mask.addAttribute("alloc-family");
#if LLVM_VERSION_MAJOR >= 15
  Mask.addAttribute(llvm::Attribute::AllocKind);
#endif
  return Mask;
}

/// Parameter attributes that only make sense together with allockind.
inline llvm::AttributeMask allocatorParameterAttributes() {
  llvm::AttributeMask Mask;
#if LLVM_VERSION_MAJOR >= 15
  Mask.addAttribute(llvm::Attribute::AllocAlign);
  Mask.addAttribute(llvm::Attribute::AllocatedPointer);
#endif
  return Mask;
}

/// Function-level memory-effect attributes.  malloc's say "touches only
/// inaccessible memory"; the runtime entry also reads the site record and
/// the shadow stack, and instrumented functions write the shadow stack, so
/// neither they nor their call sites may keep them.  Parameter-level
/// readonly/readnone are not affected.
inline llvm::AttributeMask memoryEffectAttributes() {
  llvm::AttributeMask Mask;
#if LLVM_VERSION_MAJOR >= 16
  Mask.addAttribute(llvm::Attribute::Memory);
#else
  Mask.addAttribute(llvm::Attribute::ReadNone);
  Mask.addAttribute(llvm::Attribute::ReadOnly);
  Mask.addAttribute(llvm::Attribute::WriteOnly);
  Mask.addAttribute(llvm::Attribute::ArgMemOnly);
  Mask.addAttribute(llvm::Attribute::InaccessibleMemOnly);
  Mask.addAttribute(llvm::Attribute::InaccessibleMemOrArgMemOnly);
#endif
  return Mask;
}

/// The type of a pointer to a function of type Ty: a typed pointer on 14
/// (so a callee of another type needs a bitcast), the opaque `ptr` on 19.
inline llvm::PointerType *pointerToFunction(llvm::FunctionType *Ty,
                                            unsigned AddressSpace) {
#if LLVM_VERSION_MAJOR >= 17
  return llvm::PointerType::get(Ty->getContext(), AddressSpace);
#else
  return llvm::PointerType::get(Ty, AddressSpace);
#endif
}

/// The type of a pointer to a value of type Ty in address space 0: the
/// typed `Ty*` on 14 (so a global of another type needs a bitcast), `ptr`
/// on 19.
inline llvm::PointerType *pointerTo(llvm::Type *Ty) {
#if LLVM_VERSION_MAJOR >= 17
  return llvm::PointerType::get(Ty->getContext(), 0);
#else
  return llvm::PointerType::get(Ty, 0);
#endif
}

} // namespace tmcompat

#endif // TRACEMALLOC_PASS_LLVMCOMPAT_H
