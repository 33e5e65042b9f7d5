//===- SiteRecords.cpp - the static site records of a module --------------===//
//
// A record's IR type and the order of its initialiser both come from abi.h's
// TM_SITE_FIELDS, so a field added, moved or retyped there changes the pass
// and the runtime together.
//
//===----------------------------------------------------------------------===//

#include "SiteRecords.h"

#include "AbiTypes.h"
#include "LLVMCompat.h"
#include "Statistics.h"
#include "tracemalloc/abi.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Support/Path.h"

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
// The widest field's: records are packed in the section with no padding
// (test/e2e/site-record-layout.c reads the section as an array of them).
constexpr unsigned SiteRecordAlignment = alignof(tm_site);

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

// --- lines

/// The line of Scope, or of the nearest scope around it in the same file
/// that has one: a lexical block's first line, else the function's.
unsigned scopeLine(const DIScope *Scope) {
  const DIFile *File = Scope ? Scope->getFile() : nullptr;
  for (const DIScope *S = Scope; S; S = S->getScope()) {
    if (S->getFile() != File)
      continue;
    if (auto *SP = dyn_cast<DISubprogram>(S))
      return SP->getLine();
    if (auto *Block = dyn_cast<DILexicalBlock>(S); Block && Block->getLine())
      return Block->getLine();
  }
  return 0;
}

/// The line to show for Call at Loc.  Line 0 is what LLVM gives a call
/// merged from several lines (or moved without one): then the nearest
/// known line of the same scope in the same block, before the call first
/// (the statement that leads to it), else the scope's own line.
unsigned lineOf(const Instruction &Call, const DILocation *Loc) {
  if (Loc && Loc->getLine())
    return Loc->getLine();
  const DIScope *Scope =
      Loc ? Loc->getScope()
          : static_cast<const DIScope *>(Call.getFunction()->getSubprogram());
  if (!Scope)
    return 0;
  const DILocation *InlinedAt = Loc ? Loc->getInlinedAt() : nullptr;
  auto KnownLine = [&](const Instruction &I) -> unsigned {
    // LLVM 14 has debug intrinsics among the instructions, 19 does not.
    if (isa<DbgInfoIntrinsic>(I))
      return 0;
    const DILocation *Near = I.getDebugLoc().get();
    if (!Near || Near->getScope() != Scope || Near->getInlinedAt() != InlinedAt)
      return 0;
    return Near->getLine();
  };
  for (const Instruction *I = Call.getPrevNode(); I; I = I->getPrevNode())
    if (unsigned Line = KnownLine(*I))
      return Line;
  for (const Instruction *I = Call.getNextNode(); I; I = I->getNextNode())
    if (unsigned Line = KnownLine(*I))
      return Line;
  return scopeLine(Scope);
}

// --- file names

using sys::path::Style;

/// Path without `.` components and with `dir/..` pairs removed, lexically:
/// the file system is never asked (the program may be built elsewhere).
std::string withoutDots(StringRef Path) {
  SmallString<256> Result(Path);
  sys::path::remove_dots(Result, /*remove_dot_dot=*/true, Style::posix);
  if (Result.empty() && !Path.empty())
    return "."; // "a/.." is the directory itself
  return std::string(Result.str());
}

bool climbs(StringRef Path) {
  return Path == ".." || tmcompat::startsWith(Path, "../");
}

bool isAbsolute(StringRef Path) { return !Path.empty() && Path[0] == '/'; }

std::string joined(StringRef Directory, StringRef Name) {
  SmallString<256> Result(Directory);
  sys::path::append(Result, Style::posix, Name);
  return withoutDots(Result);
}

/// Name under Root (both without dots) relative to it, or empty.
StringRef underRoot(StringRef Name, StringRef Root) {
  if (Root == "/")
    return isAbsolute(Name) ? Name.drop_front() : StringRef();
  if (Name.size() <= Root.size() + 1 || !tmcompat::startsWith(Name, Root) ||
      Name[Root.size()] != '/')
    return StringRef();
  return Name.drop_front(Root.size() + 1);
}

} // namespace

void SiteRecordTable::normaliseFile(std::string &File,
                                    std::string &Directory) const {
  std::string Dir = Directory.empty() ? Directory : withoutDots(Directory);
  std::string Name = File.empty() ? File : withoutDots(File);
  // A name that climbs out of the compilation directory (`../lib/x.c` in a
  // build directory) names no file relative to anything a reader knows.
  if (climbs(Name) && !Dir.empty())
    Name = joined(Dir, Name);
  if (!FileRoot.empty()) {
    std::string Full =
        isAbsolute(Name) || Dir.empty() ? Name : joined(Dir, Name);
    StringRef Relative = underRoot(Full, FileRoot);
    if (!Relative.empty()) {
      Name = Relative.str();
      Dir = FileRoot;
    }
  }
  File = std::move(Name);
  Directory = std::move(Dir);
}

struct SiteRecordTable::Frame {
  std::string File;
  std::string Directory;
  StringRef Function;
  unsigned Line = 0;
  unsigned Column = 0;
};

SiteRecordTable::SiteRecordTable(Module &M, StringRef FileRoot)
    : M(M), Ctx(M.getContext()),
      BytePtrTy(PointerType::getUnqual(Type::getInt8Ty(Ctx))),
      RecordTy(siteRecordType(Ctx, M.getDataLayout())),
      FileRoot(FileRoot.empty() ? std::string() : withoutDots(FileRoot)) {}

Constant *SiteRecordTable::recordFor(Instruction &Call, uint16_t Flags) {
  const DILocation *Loc = Call.getDebugLoc().get();
  return ConstantExpr::getPointerCast(
      recordAt(*Call.getFunction(), Loc, lineOf(Call, Loc), Flags), BytePtrTy);
}

GlobalVariable *SiteRecordTable::recordAt(Function &F, const DILocation *Loc,
                                          unsigned Line, uint16_t Flags) {
  const RecordKey Key{&F, Loc, Line, Flags};
  GlobalVariable *Record = Records.lookup(Key);
  if (!Record) {
    // Not through a reference into Records: createRecord recurses for the
    // inlined-at parent, which may grow the map and move its buckets.
    Record = createRecord(F, Loc, Line, Flags);
    Records[Key] = Record;
  }
  return Record;
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
                                                const DILocation *Loc,
                                                unsigned Line) const {
  Frame Result;
  Result.Line = Line;
  if (Loc) {
    // For an inlined location the scope belongs to the inlined callee:
    // that callee is this frame's function, the caller is the parent's.
    Result.File = Loc->getFilename().str();
    Result.Directory = Loc->getDirectory().str();
    Result.Column = Loc->getColumn();
    if (const DISubprogram *SP = Loc->getScope()->getSubprogram())
      Result.Function = subprogramName(*SP);
    else
      Result.Function = F.getName();
  } else if (const DISubprogram *SP = F.getSubprogram()) {
    // A call without a location in a function with debug info: the
    // function and its file are still known.
    Result.File = SP->getFilename().str();
    Result.Directory = SP->getDirectory().str();
    Result.Function = subprogramName(*SP);
  } else {
    Result.File = M.getSourceFileName();
    Result.Function = F.getName();
  }
  normaliseFile(Result.File, Result.Directory);
  return Result;
}

GlobalVariable *SiteRecordTable::createRecord(Function &F,
                                              const DILocation *Loc,
                                              unsigned Line, uint16_t Flags) {
  GlobalVariable *Parent = nullptr;
  // Inline frames carry no flags: the runtime reads them only on the
  // record passed to the allocation entry.  The call an inlined body
  // replaced is gone: a line-0 inlinedAt gets its scope's line.
  if (Loc)
    if (const DILocation *InlinedAt = Loc->getInlinedAt())
      Parent = recordAt(F, InlinedAt,
                        InlinedAt->getLine() ? InlinedAt->getLine()
                                             : scopeLine(InlinedAt->getScope()),
                        0);
  Frame Where = frameOf(F, Loc, Line);
  Constant *File = stringFor(Where.File);
  Constant *Directory = stringFor(Where.Directory);
  Constant *Function = stringFor(Where.Function);
  // Created before its initialiser, which refers to the record's own
  // fields.
  auto *Record =
      new GlobalVariable(M, RecordTy, /*isConstant=*/true,
                         GlobalValue::PrivateLinkage, nullptr, SiteRecordName);
  auto FieldValue = [&](SiteField Field, uint64_t Value) {
    return ConstantInt::get(RecordTy->getElementType(Field), Value);
  };
  // abi.h's tm_site_offset: target - &field, a difference of two addresses
  // in this module that the static linker resolves (a 32-bit PC-relative
  // relocation, as in LLVM's relative vtables), where a pointer would need
  // a dynamic relocation in a PIE.  ptrtoint gives a pointer-wide integer,
  // so the difference is taken at that width and truncated to the field's.
  Type *AddressTy = M.getDataLayout().getIntPtrType(Ctx);
  auto OffsetTo = [&](SiteField Field, Constant *Target) -> Constant * {
    Type *OffsetTy = RecordTy->getElementType(Field);
    if (!Target)
      return ConstantInt::get(OffsetTy, 0);
    Constant *FieldAddress = ConstantExpr::getInBoundsGetElementPtr(
        RecordTy, Record,
        ArrayRef<Constant *>{ConstantInt::get(Type::getInt32Ty(Ctx), 0),
                             ConstantInt::get(Type::getInt32Ty(Ctx), Field)});
    return ConstantExpr::getTruncOrBitCast(
        ConstantExpr::getSub(
            ConstantExpr::getPtrToInt(Target, AddressTy),
            ConstantExpr::getPtrToInt(FieldAddress, AddressTy)),
        OffsetTy);
  };
  Constant *Fields[SiteFieldCount];
  Fields[SiteField_file_offset] = OffsetTo(SiteField_file_offset, File);
  Fields[SiteField_directory_offset] =
      OffsetTo(SiteField_directory_offset, Directory);
  Fields[SiteField_function_offset] =
      OffsetTo(SiteField_function_offset, Function);
  Fields[SiteField_line] = FieldValue(SiteField_line, Where.Line);
  Fields[SiteField_column] =
      FieldValue(SiteField_column, clampColumn(Where.Column));
  Fields[SiteField_flags] = FieldValue(SiteField_flags, Flags);
  Fields[SiteField_parent_offset] = OffsetTo(SiteField_parent_offset, Parent);
  Record->setInitializer(ConstantStruct::get(RecordTy, Fields));
  // Not unnamed_addr: a record's address is its identity for the runtime,
  // and constmerge would fold records with equal contents.
  Record->setSection(SiteSectionName);
  Record->setAlignment(Align(SiteRecordAlignment));
  // An inline function defined in many TUs keeps one body, and with the
  // comdat one copy of its records.  A record's parent is a record of the
  // same function, so in the same comdat: the offset between them never
  // crosses into a copy the linker may drop.
  if (Comdat *C = F.getComdat())
    Record->setComdat(C);
  ++NumSiteRecords;
  return Record;
}

} // namespace tracemalloc
