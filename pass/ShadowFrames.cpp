//===- ShadowFrames.cpp - the shadow stack's protocol in IR ---------------===//
//
// See abi.h for the protocol and docs/design-pass.md for its cost.  The
// stack is the runtime's initial-exec TLS variable; each frame costs a load
// and two stores of the depth plus one store per call it makes.
//
//===----------------------------------------------------------------------===//

#include "ShadowFrames.h"

#include "AllocationFunctions.h"
#include "EntryCalls.h"

#include "LLVMCompat.h"
#include "Statistics.h"
#include "tracemalloc/abi.h"

#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

#include <iterator>

#define DEBUG_TYPE "tracemalloc"

using namespace llvm;

TM_STATISTIC(NumFramesPushed, "Functions that push a shadow-stack frame");
TM_STATISTIC(NumRingStores, "Call sites named in a shadow-stack slot");
TM_STATISTIC(NumAllocatorChecks,
             "Indirect calls whose callee is compared with allocation "
             "functions");

namespace tracemalloc {

namespace {
constexpr char StackName[] = TM_SHADOW_STACK_NAME;
// Marks a function that already pushes a shadow frame.
constexpr char FrameAttribute[] = "tracemalloc-shadow-frame";
} // namespace

ShadowFrames::ShadowFrames(Module &M, SiteRecordTable &Sites)
    : M(M), Sites(Sites),
      IntPtrTy(M.getDataLayout().getIntPtrType(M.getContext())),
      StackTy(StructType::get(IntPtrTy,
                              ArrayType::get(Sites.recordPointerType(),
                                             TM_SHADOW_STACK_CAPACITY))) {}

bool ShadowFrames::canPush(const Function &F) {
  return !F.hasFnAttribute(Attribute::Naked);
}

bool ShadowFrames::pushedBefore(const Function &F) {
  return F.hasFnAttribute(FrameAttribute);
}

bool ShadowFrames::stackNameIsUsable() {
  GlobalValue *Existing = M.getNamedValue(StackName);
  if (!Existing)
    return true;
  auto *Variable = dyn_cast<GlobalVariable>(Existing);
  if (Variable && Variable->isThreadLocal())
    return true;
  M.getContext().emitError(Twine("tracemalloc: '") + StackName +
                           "' is defined in " + M.getModuleIdentifier() +
                           " but is not a thread_local variable (the name is"
                           " reserved for the runtime's shadow stack)");
  return false;
}

/// The runtime's per-thread shadow stack, declared on first use.
Constant *ShadowFrames::stack() {
  if (StackAddress)
    return StackAddress;
  GlobalVariable *Stack = M.getNamedGlobal(StackName);
  if (!Stack) {
    // External and never dso_local: the runtime may be libtracemalloc.so,
    // and a dso_local TLS symbol in an executable is accessed local-exec,
    // which cannot reach another module's TLS block.  Initial-exec: one
    // load of the offset from the GOT (general-dynamic costs a call).
    // Weak where the runtime may be absent (stackFor() then checks).
    Stack = new GlobalVariable(
        M, StackTy, /*isConstant=*/false,
        mayLoadWithoutRuntime(M) ? GlobalValue::ExternalWeakLinkage
                                 : GlobalValue::ExternalLinkage,
        nullptr, StackName, nullptr, GlobalValue::InitialExecTLSModel);
  }
  // An existing declaration (an earlier run) or the runtime's own
  // definition (a named struct of the same layout) is used as it is.
  StackAddress =
      ConstantExpr::getPointerCast(Stack, tmcompat::pointerTo(StackTy));
  return StackAddress;
}

/// The record Call's ring store writes.  An indirect call whose callee may
/// be an allocation function (malloc behind a library's allocator pointer)
/// compares the callee with each, and names the call with the record
/// flagged TM_SITE_CALLS_ALLOCATOR when one matches: the runtime's malloc
/// then knows the block is this call's own, while a malloc that printf or
/// another library function makes finds an unflagged record there.  One
/// compare and select per candidate, no branch, so an invoke stays as it is.
Value *ShadowFrames::siteOf(CallBase &Call, AllocationFunctions &Known,
                            IRBuilder<> &Builder) {
  Constant *Plain = Sites.recordFor(Call, 0);
  Value *Callee = Call.getCalledOperand();
  if (isa<Function>(Callee->stripPointerCasts()))
    return Plain;
  SmallVector<Function *, 2> Allocators =
      Known.allocatorsCalledAs(Call.getFunctionType(), *Call.getFunction());
  if (Allocators.empty())
    return Plain;
  PointerType *BytePtrTy = Sites.recordPointerType();
  Value *CalleeAddress = Builder.CreatePointerCast(Callee, BytePtrTy);
  Value *IsAllocator = nullptr;
  for (Function *Allocator : Allocators) {
    Value *Same = Builder.CreateICmpEQ(
        CalleeAddress, ConstantExpr::getPointerCast(Allocator, BytePtrTy),
        "tm.calls." + Allocator->getName());
    IsAllocator = IsAllocator ? Builder.CreateOr(IsAllocator, Same) : Same;
  }
  ++NumAllocatorChecks;
  return Builder.CreateSelect(IsAllocator,
                              Sites.recordFor(Call, TM_SITE_CALLS_ALLOCATOR),
                              Plain, "tm.site");
}

/// The stack this function's frame goes to.  Where the runtime may be
/// absent, its unresolved TLS symbol would address the thread's control
/// block: the frame then goes to a ring of this module's that nobody
/// reads (threads share it; its contents never matter).  A select, not a
/// branch: four more instructions per frame, in such modules only.
Value *ShadowFrames::stackFor(IRBuilder<> &Builder) {
  Constant *Stack = stack();
  if (!mayLoadWithoutRuntime(M))
    return Stack;
  if (!FallbackStack) {
    auto *Ring = new GlobalVariable(
        M, StackTy, /*isConstant=*/false, GlobalValue::InternalLinkage,
        Constant::getNullValue(StackTy), Twine(StackName) + ".fallback");
    FallbackStack = ConstantExpr::getPointerCast(Ring, Stack->getType());
  }
  return Builder.CreateSelect(runtimeIsLoaded(Builder, Sites), Stack,
                              FallbackStack, "tm.stack");
}

void ShadowFrames::push(Function &F, const CallInventory &Calls,
                        AllocationFunctions &Known) {
  BasicBlock &Entry = F.getEntryBlock();
  BasicBlock::iterator At = Entry.getFirstInsertionPt();
  // After the static allocas, which passes expect to find first.
  while (At != Entry.end() && isa<AllocaInst>(*At))
    ++At;
  IRBuilder<> Builder(&Entry, At);
  Value *Stack = stackFor(Builder);
  Value *DepthAddress = Builder.CreateInBoundsGEP(
      StackTy, Stack, {Builder.getInt32(0), Builder.getInt32(0)});
  Value *Depth = Builder.CreateLoad(IntPtrTy, DepthAddress, "tm.depth");
  Value *Inner =
      Builder.CreateAdd(Depth, ConstantInt::get(IntPtrTy, 1), "tm.depth.inner");
  Builder.CreateStore(Inner, DepthAddress);
  // The slot is computed once: each call then costs one store.
  Value *Index = Builder.CreateAnd(
      Depth, ConstantInt::get(IntPtrTy, TM_SHADOW_STACK_CAPACITY - 1),
      "tm.slot.index");
  Value *Slot = Builder.CreateInBoundsGEP(
      StackTy, Stack, {Builder.getInt32(0), Builder.getInt32(1), Index},
      "tm.slot");

  for (CallBase *Call : Calls.FramedCalls) {
    Builder.SetInsertPoint(Call);
    Builder.CreateStore(siteOf(*Call, Known, Builder), Slot);
    ++NumRingStores;
  }
  // Popping before the call leaves it the last thing the frame does, so
  // musttail stays valid and a sibling call can still become a jump.  The
  // callee then takes this frame's depth, as a real tail call takes its
  // stack frame.
  for (CallInst *Call : Calls.FrameEndingCalls) {
    Builder.SetInsertPoint(Call);
    Builder.CreateStore(Depth, DepthAddress);
  }
  for (Instruction *Exit : Calls.Exits) {
    Builder.SetInsertPoint(Exit);
    Builder.CreateStore(Depth, DepthAddress);
  }
  // Frames between the thrower and this landing pad never popped.
  for (LandingPadInst *LandingPad : Calls.LandingPads) {
    BasicBlock *Block = LandingPad->getParent();
    Builder.SetInsertPoint(Block, Block->getFirstInsertionPt());
    Builder.CreateStore(Inner, DepthAddress);
  }
  // A second return from setjmp comes from a longjmp in a deeper frame.
  for (CallBase *Call : Calls.ReturnsTwiceCalls) {
    BasicBlock::iterator After;
    BasicBlock *Block;
    if (auto *Invoke = dyn_cast<InvokeInst>(Call)) {
      Block = Invoke->getNormalDest();
      // Other predecessors of the normal destination did not call setjmp.
      if (!Block->getSinglePredecessor())
        Block = SplitEdge(Invoke->getParent(), Block);
      After = Block->getFirstInsertionPt();
    } else {
      // A call is never a terminator: there is a next instruction.
      Block = Call->getParent();
      After = std::next(Call->getIterator());
    }
    Builder.SetInsertPoint(Block, After);
    Builder.CreateStore(Inner, DepthAddress);
  }
  F.addFnAttr(FrameAttribute);
  ++NumFramesPushed;
}

} // namespace tracemalloc
