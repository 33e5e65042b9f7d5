//===- EntryCalls.h - the calls the pass adds into the runtime -*- C++ -*-===//
//
// Rewrites a call of an allocation function into a call of its runtime
// entry with the site record as the extra last argument, and emits the
// module's registration with the runtime.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_ENTRYCALLS_H
#define TRACEMALLOC_PASS_ENTRYCALLS_H

#include "SiteRecords.h"

#include "llvm/IR/Attributes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Module.h"

#include <cstdint>

namespace tracemalloc {

/// Whether F is the runtime's (an entry, or the module constructor): the
/// pass neither instruments it nor names it in a shadow-stack slot.
bool isRuntimeFunction(const llvm::Function &F);

/// Whether M may be linked into a shared library that is loaded where the
/// runtime is not (position-independent code that is not for an
/// executable; a library linked without the runtime): then M refers to the
/// runtime weakly and checks that it is there (docs/design-pass.md).
bool mayLoadWithoutRuntime(const llvm::Module &M);

/// i1: whether the runtime is loaded, i.e. __tm_register_module resolved.
llvm::Value *runtimeIsLoaded(llvm::IRBuilder<> &Builder,
                             SiteRecordTable &Sites);

class EntryCalls {
public:
  EntryCalls(llvm::Module &M, SiteRecordTable &Sites) : M(M), Sites(Sites) {}

  /// Replaces CB, a call of an allocation function, by a call of the
  /// runtime entry that also passes the record of CB's site with Flags.
  void rewrite(llvm::CallBase &CB, uint16_t Flags);

  /// void __tm_module_ctor() { __tm_register_module(TM_ABI_VERSION, file); }
  /// run before the module's other constructors; once per module.
  void emitModuleRegistration();

private:
  llvm::Function *entryFor(llvm::Function &Callee);
  llvm::Function *fallbackFor(llvm::Function &Callee, llvm::Function &Entry);
  llvm::AttributeList
  withoutAllocatorAttributes(llvm::AttributeList Attrs,
                             llvm::FunctionType *NewTy) const;

  llvm::Module &M;
  SiteRecordTable &Sites;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_ENTRYCALLS_H
