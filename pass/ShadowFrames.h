//===- ShadowFrames.h - the shadow stack's protocol in IR ------*- C++ -*-===//
//
// Emits abi.h's shadow-stack protocol in a function: push a frame at entry,
// name each call's site in the frame's ring slot, pop at every exit, and
// heal where control arrives from a frame that did not pop.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_SHADOWFRAMES_H
#define TRACEMALLOC_PASS_SHADOWFRAMES_H

#include "CallInventory.h"
#include "SiteRecords.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

namespace tracemalloc {

class AllocationFunctions;

class ShadowFrames {
public:
  ShadowFrames(llvm::Module &M, SiteRecordTable &Sites);

  /// The shadow stack's name may already be taken in this module (by the
  /// runtime's definition, or by an earlier run); anything but a
  /// thread-local variable there is a conflict the pass reports and cannot
  /// work around.
  bool stackNameIsUsable();

  /// Whether F can push a frame: a naked function has no prologue of its
  /// own to put the push in.
  static bool canPush(const llvm::Function &F);

  /// Whether an earlier run of the pass (twice in one pipeline, or the
  /// pre-link and link steps of LTO) made F push a frame.
  static bool pushedBefore(const llvm::Function &F);

  /// Makes F push a frame, with a ring store before each of Calls' framed
  /// calls.  An indirect call that may be calling an allocation function
  /// (Known) stores the record flagged TM_SITE_CALLS_ALLOCATOR when it is.
  void push(llvm::Function &F, const CallInventory &Calls,
            AllocationFunctions &Known);

private:
  llvm::Constant *stack();
  llvm::Value *stackFor(llvm::IRBuilder<> &Builder);
  llvm::Value *siteOf(llvm::CallBase &Call, AllocationFunctions &Known,
                      llvm::IRBuilder<> &Builder);

  llvm::Module &M;
  SiteRecordTable &Sites;
  llvm::IntegerType *IntPtrTy;
  // { uintptr_t depth; const tm_site *ring[CAP]; }
  llvm::StructType *StackTy;
  llvm::Constant *StackAddress = nullptr;
  llvm::Constant *FallbackStack = nullptr;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_SHADOWFRAMES_H
