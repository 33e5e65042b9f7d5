//===- SiteRecords.cpp - the static site records of a module --------------===//
//
// A record's IR type and the order of its initialiser both come from abi.h's
// TM_SITE_FIELDS, so a field added, moved or retyped there changes the pass
// and the runtime together.
//
//===----------------------------------------------------------------------===//

#include "SiteRecords.h"

#include "AbiTypes.h"
#include "Statistics.h"
#include "tracemalloc/abi.h"

#include "llvm/IR/DerivedTypes.h"

#include <algorithm>
#include <limits>

#define DEBUG_TYPE "tracemalloc"

using namespace llvm;

TM_STATISTIC(NumSiteRecords, "Site records emitted (inline parents included)");

namespace tracemalloc {

namespace {

constexpr char SiteSectionName[] = TM_SITE_SECTION;
constexpr char SiteRecordName[] = "__tm_site";
constexpr char SiteStringName[] = "__tm_str";
constexpr unsigned SiteRecordAlignment = 8;

// The position of each field of struct tm_site in the IR struct.
enum SiteField : unsigned {
#define TM_FIELD_INDEX(type, name) SiteField_##name,
  TM_SITE_FIELDS(TM_FIELD_INDEX)
#undef TM_FIELD_INDEX
      SiteFieldCount
};

StructType *siteRecordType(LLVMContext &Ctx, const DataLayout &DL) {
  Type *Fields[] = {
#define TM_FIELD_TYPE(type, name) tmabi::irTypeOf<type>(Ctx, DL),
      TM_SITE_FIELDS(TM_FIELD_TYPE)
#undef TM_FIELD_TYPE
  };
  static_assert(sizeof(Fields) / sizeof(Fields[0]) == SiteFieldCount);
  return StructType::get(Ctx, ArrayRef<Type *>(Fields));
}

uint16_t clampColumn(unsigned Column) {
  // DILocation keeps 16 bits already; this guards the field if it ever
  // stops doing so.
  return static_cast<uint16_t>(
      std::min<unsigned>(Column, std::numeric_limits<uint16_t>::max()));
}

StringRef subprogramName(const DISubprogram &SP) {
  StringRef Linkage = SP.getLinkageName();
  return Linkage.empty() ? SP.getName() : Linkage;
}

} // namespace

struct SiteRecordTable::Frame {
  StringRef File;
  StringRef Directory;
  StringRef Function;
  unsigned Line = 0;
  unsigned Column = 0;
};

SiteRecordTable::SiteRecordTable(Module &M)
    : M(M), Ctx(M.getContext()),
      BytePtrTy(PointerType::getUnqual(Type::getInt8Ty(Ctx))),
      RecordTy(siteRecordType(Ctx, M.getDataLayout())) {}

Constant *SiteRecordTable::recordFor(Function &F, const DILocation *Loc,
                                     uint16_t Flags) {
  const RecordKey Key{&F, Loc, Flags};
  GlobalVariable *Record = Records.lookup(Key);
  if (!Record) {
    // Not through a reference into Records: createRecord recurses for the
    // inlined-at parent, which may grow the map and move its buckets.
    Record = createRecord(F, Loc, Flags);
    Records[Key] = Record;
  }
  return ConstantExpr::getPointerCast(Record, BytePtrTy);
}

Constant *SiteRecordTable::stringFor(StringRef Text) {
  GlobalVariable *&Slot = Strings[Text];
  if (!Slot) {
    Constant *Init = ConstantDataArray::getString(Ctx, Text);
    Slot =
        new GlobalVariable(M, Init->getType(), /*isConstant=*/true,
                           GlobalValue::PrivateLinkage, Init, SiteStringName);
    Slot->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
    Slot->setAlignment(Align(1));
  }
  return ConstantExpr::getPointerCast(Slot, BytePtrTy);
}

SiteRecordTable::Frame SiteRecordTable::frameOf(Function &F,
                                                const DILocation *Loc) const {
  Frame Result;
  if (Loc) {
    // For an inlined location the scope belongs to the inlined callee:
    // that callee is this frame's function, the caller is the parent's.
    Result.File = Loc->getFilename();
    Result.Directory = Loc->getDirectory();
    Result.Line = Loc->getLine();
    Result.Column = Loc->getColumn();
    if (const DISubprogram *SP = Loc->getScope()->getSubprogram())
      Result.Function = subprogramName(*SP);
    else
      Result.Function = F.getName();
    return Result;
  }
  if (const DISubprogram *SP = F.getSubprogram()) {
    // A call without a location in a function with debug info: the
    // function and its file are still known, the line is not.
    Result.File = SP->getFilename();
    Result.Directory = SP->getDirectory();
    Result.Function = subprogramName(*SP);
    return Result;
  }
  Result.File = M.getSourceFileName();
  Result.Function = F.getName();
  return Result;
}

GlobalVariable *SiteRecordTable::createRecord(Function &F,
                                              const DILocation *Loc,
                                              uint16_t Flags) {
  Constant *Parent = ConstantPointerNull::get(BytePtrTy);
  // Inline frames carry no flags: the runtime reads them only on the
  // record passed to the allocation entry.
  if (Loc)
    if (const DILocation *InlinedAt = Loc->getInlinedAt())
      Parent = recordFor(F, InlinedAt, 0);
  Frame Where = frameOf(F, Loc);
  auto FieldValue = [&](SiteField Field, uint64_t Value) {
    return ConstantInt::get(RecordTy->getElementType(Field), Value);
  };
  Constant *Fields[SiteFieldCount];
  Fields[SiteField_file] = stringFor(Where.File);
  Fields[SiteField_directory] = stringFor(Where.Directory);
  Fields[SiteField_function] = stringFor(Where.Function);
  Fields[SiteField_line] = FieldValue(SiteField_line, Where.Line);
  Fields[SiteField_column] =
      FieldValue(SiteField_column, clampColumn(Where.Column));
  Fields[SiteField_flags] = FieldValue(SiteField_flags, Flags);
  Fields[SiteField_parent] = Parent;
  auto *Record = new GlobalVariable(
      M, RecordTy, /*isConstant=*/true, GlobalValue::PrivateLinkage,
      ConstantStruct::get(RecordTy, Fields), SiteRecordName);
  // Not unnamed_addr: a record's address is its identity for the runtime,
  // and constmerge would fold records with equal contents.
  Record->setSection(SiteSectionName);
  Record->setAlignment(Align(SiteRecordAlignment));
  // An inline function defined in many TUs keeps one body, and with the
  // comdat one copy of its records.
  if (Comdat *C = F.getComdat())
    Record->setComdat(C);
  ++NumSiteRecords;
  return Record;
}

} // namespace tracemalloc
