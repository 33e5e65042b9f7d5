//===- CallInventory.h - what a function calls -----------------*- C++ -*-===//
//
// The calls, exits and landing pads of one function, sorted by what the
// instrumentation does with each, taken once on the IR the optimiser left
// and before the pass inserts anything.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_CALLINVENTORY_H
#define TRACEMALLOC_PASS_CALLINVENTORY_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"

namespace tracemalloc {

class AllocationFunctions;
class AllocationReach;

struct CallInventory {
  struct Allocation {
    llvm::CallBase *Call;
    // A tail call directly followed by ret: the shadow frame is popped
    // before it, so its record must not claim a live frame.
    bool EndsFrame;
  };
  // Calls of allocation functions, to be rewritten into entry calls.
  llvm::SmallVector<Allocation, 4> Allocations;
  // Calls made while the frame is live: each is preceded by a ring store.
  llvm::SmallVector<llvm::CallBase *, 16> FramedCalls;
  // musttail calls and `tail` calls followed by ret, allocation or not: the
  // frame is popped before them, so they stay in tail position.  Not the
  // indirect `tail` calls that may call an allocation function: those are
  // framed calls, named in the slot.
  llvm::SmallVector<llvm::CallInst *, 4> FrameEndingCalls;
  // ret and resume, except the rets that follow a frame-ending call.
  llvm::SmallVector<llvm::Instruction *, 4> Exits;
  llvm::SmallVector<llvm::LandingPadInst *, 2> LandingPads;
  llvm::SmallVector<llvm::CallBase *, 2> ReturnsTwiceCalls;
  // Calls other than read-only library ones, which touch no shadow stack.
  bool MakesVisibleCalls = false;

  /// Whether a frame is worth pushing: a call that may allocate runs while
  /// it is live.  Allocation calls alone need none: each entry gets its own
  /// record, and the caller's slot (ring[depth - 1]) is already the call
  /// that led here, as after a frame-ending tail call.
  bool needFrame() const { return !FramedCalls.empty(); }

  /// Reach, when given, names the calls that can never allocate: like
  /// read-only library calls they need no ring store.
  static CallInventory of(llvm::Function &F, AllocationFunctions &Known,
                          const AllocationReach *Reach);
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_CALLINVENTORY_H
