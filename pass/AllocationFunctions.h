//===- AllocationFunctions.h - which calls allocate ------------*- C++ -*-===//
//
// Decides, for a call, whether it calls one of abi.h's allocation functions
// (the pass rewrites it into a call of the runtime entry), or a library
// function that can never allocate (it needs no shadow-stack slot).
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_ALLOCATIONFUNCTIONS_H
#define TRACEMALLOC_PASS_ALLOCATIONFUNCTIONS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstrTypes.h"

namespace tracemalloc {

using GetTLIFn =
    llvm::function_ref<const llvm::TargetLibraryInfo &(llvm::Function &)>;

class AllocationFunctions {
public:
  explicit AllocationFunctions(GetTLIFn GetTLI) : GetTLI(GetTLI) {}

  /// Whether CB, in Caller, calls an allocation function of abi.h's list
  /// with the signature the list gives it.  Only declarations count: a
  /// module that defines malloc or operator new is (part of) an allocator,
  /// and its calls to its own definitions are internal to it.
  bool isAllocationCall(llvm::CallBase &CB, llvm::Function &Caller);

  /// Whether CB is an allocation call (isAllocationCall) of one of the
  /// freeing functions: free and the operator delete variants, which never
  /// allocate.
  bool isFreeingCall(llvm::CallBase &CB, llvm::Function &Caller);

  /// Whether CB calls a library function the call site says writes no
  /// memory (memcmp, strlen, getenv...), which never allocates nor calls
  /// back into the program.
  bool isReadOnlyLibraryCall(const llvm::CallBase &CB, llvm::Function &Caller);

  /// The allocation functions (not the freeing ones) an indirect call of
  /// type Ty in Caller may be calling, for the code that compares its
  /// callee with them: those of abi.h's list with Ty's C type that Caller's
  /// module declares or defines, and malloc, calloc and realloc even when it
  /// does not (they are then declared), the allocators programs plug into
  /// libraries.  Empty for most types.
  llvm::SmallVector<llvm::Function *, 2>
  allocatorsCalledAs(llvm::FunctionType *Ty, llvm::Function &Caller);

  /// Whether CB is an indirect call that allocatorsCalledAs would compare
  /// with some allocation function; declares nothing.
  bool mayCallAllocator(const llvm::CallBase &CB, llvm::Function &Caller);

private:
  /// allocatorsCalledAs; without Declare, a function still to be declared
  /// is a null entry.
  llvm::SmallVector<llvm::Function *, 2>
  candidates(llvm::FunctionType *Ty, llvm::Function &Caller, bool Declare);

  GetTLIFn GetTLI;
  llvm::DenseMap<const llvm::Function *, bool> Recognised;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_ALLOCATIONFUNCTIONS_H
