//===- AllocationReach.cpp - calls that can never allocate ----------------===//
//
// A function of the module cannot allocate when none of its calls can: each
// is an intrinsic or inline asm, a read-only library call, a call of free
// or operator delete, or a direct call of another such function of the
// module.  Anything else may allocate: an
// allocation call, a call of the runtime (its entries allocate), an
// indirect call, a call of a declaration, or of a definition the linker or
// the loader may replace (weak, or interposable in a shared library).  The
// answer is the least fixed point: functions start as proven and lose it
// when a callee does, so recursion that allocates nothing stays proven.
//
// ODR definitions (linkonce_odr, weak_odr: inline functions and template
// instances) count as this module's: every copy has the same source, and
// the tracer's wrappers compile them all alike.
//
//===----------------------------------------------------------------------===//

#include "AllocationReach.h"

#include "AllocationFunctions.h"
#include "EntryCalls.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Instructions.h"

using namespace llvm;

namespace tracemalloc {

namespace {

/// A definition whose body is the one that runs.
bool isOwnDefinition(const Function &F) {
  return !F.isDeclaration() && !F.hasAvailableExternallyLinkage() &&
         !F.isInterposable() && !isRuntimeFunction(F);
}

} // namespace

AllocationReach::AllocationReach(Module &M, AllocationFunctions &Known) {
  // Callers of each own definition, to withdraw the proof from them.
  DenseMap<const Function *, SmallVector<const Function *, 4>> Callers;
  SmallVector<const Function *, 16> MayAllocate;
  for (Function &F : M) {
    if (!isOwnDefinition(F))
      continue;
    NoAllocation.insert(&F);
    bool Allocates = false;
    for (BasicBlock &BB : F) {
      for (Instruction &I : BB) {
        auto *CB = dyn_cast<CallBase>(&I);
        if (!CB)
          continue;
        if (CB->isInlineAsm())
          continue;
        auto *Callee =
            dyn_cast<Function>(CB->getCalledOperand()->stripPointerCasts());
        if (Callee && Callee->isIntrinsic())
          continue;
        // free and operator delete: their entries record no traceback, so
        // a function that only frees needs no frame for them.
        if (Known.isReadOnlyLibraryCall(*CB, F) || Known.isFreeingCall(*CB, F))
          continue;
        if (Callee && isOwnDefinition(*Callee) &&
            !Known.isAllocationCall(*CB, F)) {
          Callers[Callee].push_back(&F);
          continue;
        }
        Allocates = true;
      }
    }
    if (Allocates)
      MayAllocate.push_back(&F);
  }
  while (!MayAllocate.empty()) {
    const Function *F = MayAllocate.pop_back_val();
    if (!NoAllocation.erase(F))
      continue;
    auto Found = Callers.find(F);
    if (Found != Callers.end())
      MayAllocate.append(Found->second.begin(), Found->second.end());
  }
}

bool AllocationReach::cannotAllocate(const CallBase &CB) const {
  auto *Callee = dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  return Callee && NoAllocation.count(Callee);
}

} // namespace tracemalloc
