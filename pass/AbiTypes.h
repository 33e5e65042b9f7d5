//===- AbiTypes.h - the C types of abi.h as IR types ------------*- C++ -*-===//
//
// abi.h declares the entries' signatures and the site record's fields once,
// as C types; the pass reads them through these templates, so what it emits
// and what it recognises follow that one declaration.  Sizes that depend on
// the target (size_t, std::align_val_t, pointers) come from its DataLayout,
// never from the machine the pass runs on.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_ABITYPES_H
#define TRACEMALLOC_PASS_ABITYPES_H

#include "tracemalloc/abi.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"

#include <climits>
#include <cstddef>
#include <new>
#include <type_traits>

namespace tmabi {

template <typename T> constexpr bool IsUnsupportedAbiType = false;

/// The IR type of the C type T on the target of DL.  Pointers and
/// references are `i8*` on LLVM 14 (whose pointers are typed) and `ptr` on
/// 19: a caller compares pointers with isPointerTy().
template <typename T>
llvm::Type *irTypeOf(llvm::LLVMContext &Ctx, const llvm::DataLayout &DL) {
  if constexpr (std::is_void_v<T>)
    return llvm::Type::getVoidTy(Ctx);
  else if constexpr (std::is_pointer_v<T> || std::is_reference_v<T>)
    return llvm::PointerType::getUnqual(llvm::Type::getInt8Ty(Ctx));
  else if constexpr (std::is_same_v<T, size_t> ||
                     std::is_same_v<T, std::align_val_t>)
    return llvm::Type::getIntNTy(Ctx, DL.getPointerSizeInBits());
  else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>)
    // int, uint16_t, uint32_t, __hot_cold_t: the same width on every
    // target LLVM and this runtime support.
    return llvm::Type::getIntNTy(Ctx, CHAR_BIT * sizeof(T));
  else
    static_assert(IsUnsupportedAbiType<T>,
                  "abi.h uses a type the pass cannot map");
}

/// Whether Ty is the IR type of the C type T.
template <typename T>
bool isIRTypeOf(llvm::Type *Ty, const llvm::DataLayout &DL) {
  if constexpr (std::is_pointer_v<T> || std::is_reference_v<T>)
    return Ty->isPointerTy();
  else
    return Ty == irTypeOf<T>(Ty->getContext(), DL);
}

template <typename Signature> struct CFunction;

/// A C function type `Result(Params...)` of abi.h's entry list.
template <typename Result, typename... Params>
struct CFunction<Result(Params...)> {
  /// Whether Ty is the IR type of a function of this C type.
  static bool matches(llvm::FunctionType *Ty, const llvm::DataLayout &DL) {
    if (Ty->isVarArg() || Ty->getNumParams() != sizeof...(Params) ||
        !isIRTypeOf<Result>(Ty->getReturnType(), DL))
      return false;
    unsigned I = 0;
    return (isIRTypeOf<Params>(Ty->getParamType(I++), DL) && ...);
  }

  /// The IR type of a function of this C type, for a declaration.
  static llvm::FunctionType *irType(llvm::LLVMContext &Ctx,
                                    const llvm::DataLayout &DL) {
    return llvm::FunctionType::get(irTypeOf<Result>(Ctx, DL),
                                   {irTypeOf<Params>(Ctx, DL)...},
                                   /*isVarArg=*/false);
  }
};

} // namespace tmabi

#endif // TRACEMALLOC_PASS_ABITYPES_H
