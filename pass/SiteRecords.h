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
#include <string>
#include <tuple>

namespace tracemalloc {

class SiteRecordTable {
public:
  /// FileRoot: file names under this directory are made relative to it
  /// (empty: none).
  SiteRecordTable(llvm::Module &M, llvm::StringRef FileRoot);

  /// The type of the pointers to records and strings the pass passes around.
  llvm::PointerType *recordPointerType() const { return BytePtrTy; }

  /// The record of Call (an allocation call, or a call a ring slot names)
  /// with the TM_SITE_* Flags.  An allocation record and a call-site record
  /// at one location differ by their flags, so the flags are part of the key.
  llvm::Constant *recordFor(llvm::Instruction &Call, uint16_t Flags);

  /// A private C string; equal strings share one global.
  llvm::Constant *stringFor(llvm::StringRef Text);

private:
  struct Frame;
  /// The record of a location Loc (null: none) in F shown at Line.
  llvm::GlobalVariable *recordAt(llvm::Function &F, const llvm::DILocation *Loc,
                                 unsigned Line, uint16_t Flags);
  Frame frameOf(llvm::Function &F, const llvm::DILocation *Loc,
                unsigned Line) const;
  /// A frame's file name and directory as records give them: lexically
  /// normalised, and relative to FileRoot when under it.
  void normaliseFile(std::string &File, std::string &Directory) const;
  llvm::GlobalVariable *createRecord(llvm::Function &F,
                                     const llvm::DILocation *Loc, unsigned Line,
                                     uint16_t Flags);

  llvm::Module &M;
  llvm::LLVMContext &Ctx;
  llvm::PointerType *BytePtrTy;
  // abi.h's TM_SITE_FIELDS as an IR struct.
  llvm::StructType *RecordTy;
  // The line is part of the key: every line-0 location of one scope is the
  // same uniqued DILocation, and each call there may show another line.
  using RecordKey = std::tuple<const llvm::Function *, const llvm::DILocation *,
                               unsigned, uint16_t>;
  llvm::DenseMap<RecordKey, llvm::GlobalVariable *> Records;
  llvm::StringMap<llvm::GlobalVariable *> Strings;
  std::string FileRoot;
};

} // namespace tracemalloc

#endif // TRACEMALLOC_PASS_SITERECORDS_H
