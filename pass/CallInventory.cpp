//===- CallInventory.cpp - what a function calls --------------------------===//
//
// Which calls are visible to the shadow stack (not intrinsics, inline asm or
// the runtime), which end the frame (tail position), and which allocate.
//
//===----------------------------------------------------------------------===//

#include "CallInventory.h"

#include "AllocationFunctions.h"
#include "AllocationReach.h"
#include "EntryCalls.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/IntrinsicInst.h"

using namespace llvm;

namespace tracemalloc {

namespace {

/// The `ret` that directly follows Call, or null.  Between them only what
/// the backend also lets through for a sibling call: debug intrinsics,
/// lifetime ends, and a bitcast of the call's result.  A musttail call has
/// this shape by rule; a `tail` call with it may become a jump.
ReturnInst *returnDirectlyAfter(CallInst &Call) {
  for (Instruction *Next = Call.getNextNode(); Next;
       Next = Next->getNextNode()) {
    if (auto *Ret = dyn_cast<ReturnInst>(Next))
      return Ret;
    if (isa<DbgInfoIntrinsic>(Next))
      continue;
    if (auto *Intrinsic = dyn_cast<IntrinsicInst>(Next);
        Intrinsic && Intrinsic->getIntrinsicID() == Intrinsic::lifetime_end)
      continue;
    if (auto *Cast = dyn_cast<BitCastInst>(Next);
        Cast && Cast->getOperand(0) == &Call)
      continue;
    return nullptr;
  }
  return nullptr;
}

/// Calls that can never lead to a traced allocation through a frame of
/// this function: inline asm, intrinsics (llvm.memcpy, llvm.dbg.*...),
/// and the runtime itself (including entries rewritten by an earlier run).
bool isInvisibleCall(const CallBase &CB) {
  if (CB.isInlineAsm())
    return true;
  auto *Callee = dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  return Callee && (Callee->isIntrinsic() || isRuntimeFunction(*Callee));
}

} // namespace

CallInventory CallInventory::of(Function &F, AllocationFunctions &Known,
                                const AllocationReach *Reach) {
  CallInventory Calls;
  SmallPtrSet<ReturnInst *, 4> ReturnsAfterFrameEndingCalls;
  SmallVector<Instruction *, 4> AllExits;
  for (BasicBlock &BB : F)
    for (Instruction &I : BB) {
      if (isa<ReturnInst>(I) || isa<ResumeInst>(I)) {
        AllExits.push_back(&I);
        continue;
      }
      if (auto *LandingPad = dyn_cast<LandingPadInst>(&I)) {
        Calls.LandingPads.push_back(LandingPad);
        continue;
      }
      auto *CB = dyn_cast<CallBase>(&I);
      // callbr exists only for asm goto.
      if (!CB || !(isa<CallInst>(CB) || isa<InvokeInst>(CB)) ||
          isInvisibleCall(*CB))
        continue;
      bool ReturnsTwice = CB->hasFnAttr(Attribute::ReturnsTwice);
      if (ReturnsTwice)
        Calls.ReturnsTwiceCalls.push_back(CB);
      auto *Call = dyn_cast<CallInst>(CB);
      ReturnInst *Ret = Call && Call->isTailCall() && !ReturnsTwice
                            ? returnDirectlyAfter(*Call)
                            : nullptr;
      // `return memory->malloc_fcn(size)`: popped before the call, the
      // frame would write no slot to say that its callee is malloc, and
      // the block would have no frame of its own.  Such a call (not
      // musttail) stays inside the frame, at the cost of its sibling-call
      // jump: the pop then follows it.
      if (Ret && !Call->isMustTailCall() && Known.mayCallAllocator(*CB, F))
        Ret = nullptr;
      // Even a read-only library call in tail position ends the frame
      // first: nothing may come between a musttail call and its ret, and a
      // sibling call stays a jump.
      if (Ret) {
        Calls.FrameEndingCalls.push_back(Call);
        ReturnsAfterFrameEndingCalls.insert(Ret);
      }
      if (Known.isReadOnlyLibraryCall(*CB, F) ||
          (Reach && Reach->cannotAllocate(*CB)))
        continue;
      Calls.MakesVisibleCalls = true;
      // A musttail call must keep its caller's prototype: it cannot gain
      // an argument.  It is left untraced.
      bool Rewritable = !(Call && Call->isMustTailCall());
      if (Rewritable && Known.isAllocationCall(*CB, F))
        Calls.Allocations.push_back({CB, Ret != nullptr});
      else if (!Ret)
        Calls.FramedCalls.push_back(CB);
    }
  for (Instruction *Exit : AllExits) {
    auto *Ret = dyn_cast<ReturnInst>(Exit);
    if (!Ret || !ReturnsAfterFrameEndingCalls.count(Ret))
      Calls.Exits.push_back(Exit);
  }
  return Calls;
}

} // namespace tracemalloc
