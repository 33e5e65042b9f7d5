//===- SiteRecords.h - the static site records of a module -----*- C++ -*-===//
//
// Emits the `struct tm_site` records of abi.h (one per function, source
// location and flags), with their inlined-at parents and their strings,
// interned per module.
//
//===----------------------------------------------------------------------===//
#ifndef TRACEMALLOC_PASS_SITERECORDS_H
#define TRACEMALLOC_PASS_SITERECORDS_H

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"

#include <cstdint>
#include <tuple>

namespace tracemalloc {

class SiteRecordTable {
public:
  explicit SiteRecordTable(llvm::Module &M);

  /// The type of the pointers to records and strings the pass passes around.
  llvm::PointerType *recordPointerType() const { return BytePtrTy; }

  /// The record of a call at Loc in F (Loc may be null: no debug location)
  /// with the TM_SITE_* Flags.  An allocation record and a call-site record
  /// at one location differ by their flags, so the flags are part of the key.
  llvm::Constant *recordFor(llvm::Function &F, const llvm::DILocation *Loc,
                            uint16_t Flags);

  /// A private C string; equal strings share one global.
  llvm::Constant *stringFor(llvm::StringRef Text);

private:
  struct Frame;
  Frame frameOf(llvm::Function &F, const llvm::DILocation *Loc) const;
  llvm::GlobalVariable *
  createRecord(llvm::Function &F, const llvm::DILocation *Loc, uint16_t Flags);

  llvm::Module &M;
  llvm::LLVMContext &Ctx;
  llvm::PointerType *BytePtrTy;
  // abi.h's TM_SITE_FIELDS as an IR struct.
  llvm::StructType *RecordTy;
  using RecordKey =
      std::tuple<const llvm::Function *, const llvm::DILocation *, uint16_t>;
  llvm::DenseMap<RecordKey, llvm::GlobalVariable *> Records;
  llvm::StringMap<llvm::GlobalVariable *> Strings;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_SITERECORDS_H
