//===- AllocationReach.h - calls that can never allocate -------*- C++ -*-===//
//
// Which functions defined in the module can never reach an allocation:
// calls of them need no shadow-stack slot, and a function whose calls are
// all of that kind needs no frame.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_ALLOCATIONREACH_H
#define TRACEMALLOC_PASS_ALLOCATIONREACH_H

#include "llvm/ADT/DenseSet.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"

namespace tracemalloc {

class AllocationFunctions;

class AllocationReach {
public:
  /// Takes the module as the optimiser left it, before any instrumentation.
  AllocationReach(llvm::Module &M, AllocationFunctions &Known);

  /// Whether CB directly calls a function of this module proven never to
  /// reach an allocation.
  bool cannotAllocate(const llvm::CallBase &CB) const;

  size_t provenCount() const { return NoAllocation.size(); }

private:
  llvm::DenseSet<const llvm::Function *> NoAllocation;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_ALLOCATIONREACH_H
