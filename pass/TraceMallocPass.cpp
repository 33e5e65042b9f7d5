//===- TraceMallocPass.cpp - route allocations through the runtime --------===//
//
// Rewrites every call and invoke of an allocation function listed in
// TM_ALLOCATION_FUNCTIONS (include/tracemalloc/abi.h) into a call of the
// runtime entry __tm_<symbol>, with the same arguments plus the address of a
// static site record that names the call's source location and, through
// `parent`, the frames it was inlined into.  Functions that make calls also
// keep the per-thread shadow stack of abi.h up to date (their callers' call
// sites, without unwinding).  Each instrumented module gets a constructor
// that registers it with the runtime (ABI version check).
//
// See docs/design-pass.md for why the pass runs at OptimizerLast, why only
// calls to *declared* allocation functions are rewritten, and the shadow
// stack's protocol and cost.
//
//===----------------------------------------------------------------------===//

#include "LLVMCompat.h"
#include "tracemalloc/abi.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <string_view>
#include <tuple>
#include <utility>

using namespace llvm;

namespace {

constexpr char PassName[] = "tracemalloc";
constexpr char EntryPrefix[] = TM_ENTRY_PREFIX;
constexpr char RegisterModuleName[] = TM_REGISTER_MODULE_NAME;
constexpr char SiteSectionName[] = TM_SITE_SECTION;
// Starts with the entry prefix, so the pass never instruments it.
constexpr char ModuleCtorName[] = "__tm_module_ctor";
constexpr char SiteRecordName[] = "__tm_site";
constexpr char SiteStringName[] = "__tm_str";
// Runs before ordinary constructors (65535) so that allocations made by
// other constructors of this module find it registered.
constexpr int ModuleCtorPriority = 1;
constexpr unsigned SiteRecordAlignment = 8;
constexpr char NoShadowStackVariable[] = "TRACEMALLOC_PASS_NO_SHADOW_STACK";
constexpr char ShadowStackName[] = TM_SHADOW_STACK_NAME;
// Marks a function that already pushes a shadow frame.
constexpr char ShadowFrameAttribute[] = "tracemalloc-shadow-frame";

//===----------------------------------------------------------------------===//
// The allocation functions.
//
// The names come from abi.h.  TargetLibraryInfo checks the prototype of the
// names it knows; the signatures below are used only for names a given LLVM
// does not know (pvalloc and reallocarray everywhere, the __hot_cold_t
// operator new variants on LLVM 14), so that a same-named function with an
// unrelated prototype is left alone.
//
// Signature letters: p pointer, z size_t-wide integer (also align_val_t),
// h __hot_cold_t (i8), i int (i32), v void.  The first letter is the return.
//===----------------------------------------------------------------------===//

struct AllocationFunction {
  std::string_view Name;
  std::string_view Signature;
};

constexpr AllocationFunction AllocationFunctions[] = {
    {"malloc", "pz"},
    {"calloc", "pzz"},
    {"realloc", "ppz"},
    {"reallocarray", "ppzz"},
    {"free", "vp"},
    {"aligned_alloc", "pzz"},
    {"posix_memalign", "ipzz"},
    {"memalign", "pzz"},
    {"valloc", "pz"},
    {"pvalloc", "pz"},
    {"strdup", "pp"},
    {"strndup", "ppz"},
    {"_Znwm", "pz"},
    {"_Znam", "pz"},
    {"_ZnwmRKSt9nothrow_t", "pzp"},
    {"_ZnamRKSt9nothrow_t", "pzp"},
    {"_ZnwmSt11align_val_t", "pzz"},
    {"_ZnamSt11align_val_t", "pzz"},
    {"_ZnwmSt11align_val_tRKSt9nothrow_t", "pzzp"},
    {"_ZnamSt11align_val_tRKSt9nothrow_t", "pzzp"},
    {"_Znwm12__hot_cold_t", "pzh"},
    {"_Znam12__hot_cold_t", "pzh"},
    {"_ZnwmRKSt9nothrow_t12__hot_cold_t", "pzph"},
    {"_ZnamRKSt9nothrow_t12__hot_cold_t", "pzph"},
    {"_ZnwmSt11align_val_t12__hot_cold_t", "pzzh"},
    {"_ZnamSt11align_val_t12__hot_cold_t", "pzzh"},
    {"_ZnwmSt11align_val_tRKSt9nothrow_t12__hot_cold_t", "pzzph"},
    {"_ZnamSt11align_val_tRKSt9nothrow_t12__hot_cold_t", "pzzph"},
    {"_ZdlPv", "vp"},
    {"_ZdaPv", "vp"},
    {"_ZdlPvm", "vpz"},
    {"_ZdaPvm", "vpz"},
    {"_ZdlPvRKSt9nothrow_t", "vpp"},
    {"_ZdaPvRKSt9nothrow_t", "vpp"},
    {"_ZdlPvSt11align_val_t", "vpz"},
    {"_ZdaPvSt11align_val_t", "vpz"},
    {"_ZdlPvmSt11align_val_t", "vpzz"},
    {"_ZdaPvmSt11align_val_t", "vpzz"},
    {"_ZdlPvSt11align_val_tRKSt9nothrow_t", "vpzp"},
    {"_ZdaPvSt11align_val_tRKSt9nothrow_t", "vpzp"},
};

#define TM_NAME_OF(symbol) std::string_view(#symbol),
constexpr std::string_view AbiAllocationFunctions[] = {
    TM_ALLOCATION_FUNCTIONS(TM_NAME_OF)};
#undef TM_NAME_OF

// The table above and abi.h's list must name the same functions: the runtime
// defines exactly one entry per abi.h name.
constexpr bool allocationTableMatchesAbi() {
  if (std::size(AllocationFunctions) != std::size(AbiAllocationFunctions))
    return false;
  for (std::string_view AbiName : AbiAllocationFunctions) {
    bool Found = false;
    for (const AllocationFunction &Known : AllocationFunctions)
      Found = Found || Known.Name == AbiName;
    if (!Found)
      return false;
  }
  return true;
}
static_assert(allocationTableMatchesAbi(),
              "AllocationFunctions must list exactly TM_ALLOCATION_FUNCTIONS");

const AllocationFunction *findAllocationFunction(StringRef Name) {
  std::string_view Wanted(Name.data(), Name.size());
  for (const AllocationFunction &Known : AllocationFunctions)
    if (Known.Name == Wanted)
      return &Known;
  return nullptr;
}

bool typeMatchesLetter(Type *Ty, char Letter, unsigned SizeTBits) {
  switch (Letter) {
  case 'p':
    return Ty->isPointerTy();
  case 'z':
    return Ty->isIntegerTy(SizeTBits);
  case 'h':
    return Ty->isIntegerTy(8);
  case 'i':
    return Ty->isIntegerTy(32);
  case 'v':
    return Ty->isVoidTy();
  default:
    return false;
  }
}

bool matchesSignature(const AllocationFunction &Known, const Function &F) {
  FunctionType *Ty = F.getFunctionType();
  std::string_view Signature = Known.Signature;
  if (Ty->isVarArg() || Ty->getNumParams() + 1 != Signature.size())
    return false;
  unsigned SizeTBits =
      F.getParent()->getDataLayout().getPointerSizeInBits(F.getAddressSpace());
  if (!typeMatchesLetter(Ty->getReturnType(), Signature[0], SizeTBits))
    return false;
  for (unsigned I = 0; I < Ty->getNumParams(); ++I)
    if (!typeMatchesLetter(Ty->getParamType(I), Signature[I + 1], SizeTBits))
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Configuration.  Plugin-only `-mllvm` options are rejected by clang before
// LLVM 22 (llvm-project issue 56137), so the pass reads the environment.
//===----------------------------------------------------------------------===//

bool environmentFlag(const char *Name) {
  const char *Value = std::getenv(Name);
  return Value && *Value && StringRef(Value) != "0";
}

struct PassOptions {
  // When false, each trace has one frame (the site record and its inline
  // parents): no function pushes a shadow frame, allocation records have
  // flags 0, and only allocation calls are rewritten.
  bool ShadowStack = true;

  static PassOptions fromEnvironment() {
    PassOptions Options;
    Options.ShadowStack = !environmentFlag(NoShadowStackVariable);
    return Options;
  }
};

//===----------------------------------------------------------------------===//
// Site records.
//===----------------------------------------------------------------------===//

/// Emits and interns the static `struct tm_site` records of one module.
class SiteRecordTable {
public:
  explicit SiteRecordTable(Module &M)
      : M(M), Ctx(M.getContext()),
        BytePtrTy(PointerType::getUnqual(Type::getInt8Ty(Ctx))),
        Int32Ty(Type::getInt32Ty(Ctx)), Int16Ty(Type::getInt16Ty(Ctx)),
        RecordTy(StructType::get(Ctx, {BytePtrTy, BytePtrTy, BytePtrTy, Int32Ty,
                                       Int16Ty, Int16Ty, BytePtrTy})) {}

  PointerType *recordPointerType() const { return BytePtrTy; }

  /// The record of a call at Loc in F (Loc may be null: no debug location)
  /// with the TM_SITE_* Flags.  An allocation record and a call-site record
  /// at one location differ by their flags, so the flags are part of the key.
  Constant *recordFor(Function &F, const DILocation *Loc, uint16_t Flags) {
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

  /// A private C string; equal strings share one global.
  Constant *stringFor(StringRef Text) {
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

private:
  struct Frame {
    StringRef File;
    StringRef Directory;
    StringRef Function;
    unsigned Line = 0;
    unsigned Column = 0;
  };

  static uint16_t clampColumn(unsigned Column) {
    // DILocation keeps 16 bits already; this guards the field if it ever
    // stops doing so.
    return static_cast<uint16_t>(
        std::min<unsigned>(Column, std::numeric_limits<uint16_t>::max()));
  }

  static StringRef subprogramName(const DISubprogram &SP) {
    StringRef Linkage = SP.getLinkageName();
    return Linkage.empty() ? SP.getName() : Linkage;
  }

  Frame frameOf(Function &F, const DILocation *Loc) const {
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

  GlobalVariable *createRecord(Function &F, const DILocation *Loc,
                               uint16_t Flags) {
    Constant *Parent = ConstantPointerNull::get(BytePtrTy);
    // Inline frames carry no flags: the runtime reads them only on the
    // record passed to the allocation entry.
    if (Loc)
      if (const DILocation *InlinedAt = Loc->getInlinedAt())
        Parent = recordFor(F, InlinedAt, 0);
    Frame Where = frameOf(F, Loc);
    Constant *Init = ConstantStruct::get(
        RecordTy,
        {stringFor(Where.File), stringFor(Where.Directory),
         stringFor(Where.Function), ConstantInt::get(Int32Ty, Where.Line),
         ConstantInt::get(Int16Ty, clampColumn(Where.Column)),
         ConstantInt::get(Int16Ty, Flags), Parent});
    auto *Record =
        new GlobalVariable(M, RecordTy, /*isConstant=*/true,
                           GlobalValue::PrivateLinkage, Init, SiteRecordName);
    // Not unnamed_addr: a record's address is its identity for the runtime,
    // and constmerge would fold records with equal contents.
    Record->setSection(SiteSectionName);
    Record->setAlignment(Align(SiteRecordAlignment));
    // An inline function defined in many TUs keeps one body, and with the
    // comdat one copy of its records.
    if (Comdat *C = F.getComdat())
      Record->setComdat(C);
    return Record;
  }

  Module &M;
  LLVMContext &Ctx;
  PointerType *BytePtrTy;
  IntegerType *Int32Ty;
  IntegerType *Int16Ty;
  StructType *RecordTy;
  using RecordKey = std::tuple<const Function *, const DILocation *, uint16_t>;
  DenseMap<RecordKey, GlobalVariable *> Records;
  StringMap<GlobalVariable *> Strings;
};

//===----------------------------------------------------------------------===//
// What a function calls, taken once on the IR the optimiser left, before the
// pass inserts anything.
//===----------------------------------------------------------------------===//

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

struct FunctionCalls {
  struct Allocation {
    CallBase *Call;
    // A tail call directly followed by ret: the shadow frame is popped
    // before it, so its record must not claim a live frame.
    bool EndsFrame;
  };
  SmallVector<Allocation, 4> Allocations;
  // Calls made while the frame is live: each is preceded by a ring store.
  SmallVector<CallBase *, 16> FramedCalls;
  // musttail calls and `tail` calls followed by ret, allocation or not: the
  // frame is popped before them, so they stay in tail position.
  SmallVector<CallInst *, 4> FrameEndingCalls;
  // ret and resume, except the rets that follow a frame-ending call.
  SmallVector<Instruction *, 4> Exits;
  SmallVector<LandingPadInst *, 2> LandingPads;
  SmallVector<CallBase *, 2> ReturnsTwiceCalls;

  /// Whether a frame is worth pushing: something runs while it is live.
  bool needFrame() const {
    return !FramedCalls.empty() || any_of(Allocations, [](const Allocation &A) {
      return !A.EndsFrame;
    });
  }
  // Calls other than read-only library ones, which touch no shadow stack.
  bool MakesVisibleCalls = false;
  bool makesCalls() const { return MakesVisibleCalls; }
};

//===----------------------------------------------------------------------===//
// The module instrumenter.  Per function: take the inventory of calls, push
// a shadow-stack frame if the function needs one, rewrite its allocation
// calls (their records say whether the frame is live), then forget memory
// effects that the instrumentation made false.
//===----------------------------------------------------------------------===//

class ModuleInstrumenter {
public:
  using GetTLIFn = function_ref<const TargetLibraryInfo &(Function &)>;

  ModuleInstrumenter(Module &M, const PassOptions &Options, GetTLIFn GetTLI)
      : M(M), Options(Options), GetTLI(GetTLI), Sites(M),
        IntPtrTy(M.getDataLayout().getIntPtrType(M.getContext())),
        ShadowStackTy(StructType::get(
            IntPtrTy, ArrayType::get(Sites.recordPointerType(),
                                     TM_SHADOW_STACK_CAPACITY))) {}

  bool run() {
    if (Options.ShadowStack && !shadowStackNameIsUsable())
      Options.ShadowStack = false;
    bool NeedsRuntime = false;
    SmallVector<Function *, 16> WithoutMemoryEffects;
    for (Function &F : M) {
      if (!shouldInstrument(F))
        continue;
      FunctionCalls Calls = inventory(F);
      bool PushesFrame =
          Options.ShadowStack && canHaveShadowFrame(F) && Calls.needFrame();
      if (PushesFrame)
        pushShadowFrame(F, Calls);
      for (const FunctionCalls::Allocation &A : Calls.Allocations)
        rewriteCall(*A.Call, F,
                    PushesFrame && !A.EndsFrame ? TM_SITE_OWN_SHADOW_FRAME : 0);
      NeedsRuntime = NeedsRuntime || PushesFrame || !Calls.Allocations.empty();
      // F's memory effects were inferred from its callees: malloc's summary
      // is false of the entry (it reads the site record), and any callee may
      // now write the shadow stack.  With such an attribute left in place a
      // later pass (LTO runs after us) could delete or reorder the stores.
      if (PushesFrame || !Calls.Allocations.empty() ||
          (Options.ShadowStack && Calls.makesCalls()))
        WithoutMemoryEffects.push_back(&F);
    }
    forgetMemoryEffects(WithoutMemoryEffects);
    if (NeedsRuntime)
      emitModuleConstructor();
    return NeedsRuntime || !WithoutMemoryEffects.empty();
  }

private:
  static bool shouldInstrument(const Function &F) {
    if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
      return false;
    // Instrumented by an earlier run of the pass (twice in one pipeline, or
    // the pre-link and link steps of LTO): a second frame would show the
    // function twice in every traceback.
    if (F.hasFnAttribute(ShadowFrameAttribute))
      return false;
    // The runtime's own functions (and our module constructor).
    return !tmcompat::startsWith(F.getName(), EntryPrefix);
  }

  /// A naked function has no prologue of its own to put the push in.
  static bool canHaveShadowFrame(const Function &F) {
    return !F.hasFnAttribute(Attribute::Naked);
  }

  /// The allocation function called by CB, or null.  Only declarations
  /// count: a module that defines malloc or operator new is (part of) an
  /// allocator, and its calls to its own definitions are internal to it.
  const AllocationFunction *calledAllocationFunction(CallBase &CB,
                                                     Function &Caller) {
    auto *Callee =
        dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
    if (!Callee || !Callee->isDeclaration() || Callee->isIntrinsic())
      return nullptr;
    auto Cached = Recognised.find(Callee);
    if (Cached != Recognised.end())
      return Cached->second;
    const AllocationFunction *Known = findAllocationFunction(Callee->getName());
    if (Known) {
      const TargetLibraryInfo &TLI = GetTLI(Caller);
      LibFunc Func;
      // The Function overload checks name and prototype and, unlike the
      // CallBase one, accepts `nobuiltin` calls such as ::operator new(n).
      if (TLI.getLibFunc(Callee->getName(), Func))
        Known = TLI.getLibFunc(*Callee, Func) ? Known : nullptr;
      else
        Known = matchesSignature(*Known, *Callee) ? Known : nullptr;
    }
    Recognised[Callee] = Known;
    return Known;
  }

  /// Calls that can never lead to a traced allocation through a frame of
  /// this function: inline asm, intrinsics (llvm.memcpy, llvm.dbg.*...),
  /// and the runtime itself (including entries rewritten by an earlier run).
  static bool isInvisibleCall(const CallBase &CB) {
    if (CB.isInlineAsm())
      return true;
    auto *Callee =
        dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
    return Callee && (Callee->isIntrinsic() ||
                      tmcompat::startsWith(Callee->getName(), EntryPrefix));
  }

  /// Library functions the call site says write no memory (memcmp, strlen,
  /// strchr, getenv...): glibc's never allocate nor call back into the
  /// program, so they need no ring store, and a function that calls only
  /// those needs no frame.  Only functions LLVM knows as library functions
  /// count, and only where the compiler may treat them as such: a function
  /// the program declares `pure` may still allocate (its callers' frames must
  /// then be current).  A program that defines its own function of a
  /// library name without -fno-builtin gets a stale caller frame above an
  /// allocation in it.
  bool isReadOnlyLibraryCall(const CallBase &CB, Function &Caller) {
    if (!CB.onlyReadsMemory() || CB.isNoBuiltin())
      return false;
    auto *Callee =
        dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
    if (!Callee || !Callee->isDeclaration())
      return false;
    // has(): not under -fno-builtin / -ffreestanding / -fno-builtin-NAME,
    // where a function of that name may be the program's own.
    const TargetLibraryInfo &TLI = GetTLI(Caller);
    LibFunc Func;
    return TLI.getLibFunc(*Callee, Func) && TLI.has(Func);
  }

  FunctionCalls inventory(Function &F) {
    FunctionCalls Calls;
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
        // Even a read-only library call in tail position ends the frame
        // first: nothing may come between a musttail call and its ret, and a
        // sibling call stays a jump.
        if (Ret) {
          Calls.FrameEndingCalls.push_back(Call);
          ReturnsAfterFrameEndingCalls.insert(Ret);
        }
        if (isReadOnlyLibraryCall(*CB, F))
          continue;
        Calls.MakesVisibleCalls = true;
        // A musttail call must keep its caller's prototype: it cannot gain
        // an argument.  It is left untraced.
        bool Rewritable = !(Call && Call->isMustTailCall());
        if (Rewritable && calledAllocationFunction(*CB, F))
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

  /// The runtime's per-thread shadow stack, declared on first use.
  Constant *shadowStack() {
    if (ShadowStackAddress)
      return ShadowStackAddress;
    GlobalVariable *Stack = M.getNamedGlobal(ShadowStackName);
    if (!Stack) {
      // External and never dso_local: the runtime may be libtracemalloc.so,
      // and a dso_local TLS symbol in an executable is accessed local-exec,
      // which cannot reach another module's TLS block.  Initial-exec: one
      // load of the offset from the GOT (general-dynamic costs a call).
      Stack = new GlobalVariable(
          M, ShadowStackTy, /*isConstant=*/false, GlobalValue::ExternalLinkage,
          nullptr, ShadowStackName, nullptr, GlobalValue::InitialExecTLSModel);
    }
    // An existing declaration (an earlier run) or the runtime's own
    // definition (a named struct of the same layout) is used as it is.
    ShadowStackAddress =
        ConstantExpr::getPointerCast(Stack, tmcompat::pointerTo(ShadowStackTy));
    return ShadowStackAddress;
  }

  /// The shadow stack's name may already be taken in this module (by the
  /// runtime's definition, or by an earlier run); anything but a
  /// thread-local variable there is a conflict the pass cannot work around.
  bool shadowStackNameIsUsable() {
    GlobalValue *Existing = M.getNamedValue(ShadowStackName);
    if (!Existing)
      return true;
    auto *Variable = dyn_cast<GlobalVariable>(Existing);
    if (Variable && Variable->isThreadLocal())
      return true;
    M.getContext().emitError(Twine("tracemalloc: '") + ShadowStackName +
                             "' is defined in " + M.getModuleIdentifier() +
                             " but is not a thread_local variable (the name is"
                             " reserved for the runtime's shadow stack)");
    return false;
  }

  /// The protocol of abi.h: push at entry, name each call's site in the
  /// frame's ring slot, pop at every exit, and heal where control arrives
  /// from a frame that did not pop (throw, longjmp).
  void pushShadowFrame(Function &F, FunctionCalls &Calls) {
    Constant *Stack = shadowStack();
    Constant *DepthAddress = ConstantExpr::getInBoundsGetElementPtr(
        ShadowStackTy, Stack,
        ArrayRef<Constant *>{
            ConstantInt::get(Type::getInt32Ty(M.getContext()), 0),
            ConstantInt::get(Type::getInt32Ty(M.getContext()), 0)});

    BasicBlock &Entry = F.getEntryBlock();
    BasicBlock::iterator At = Entry.getFirstInsertionPt();
    // After the static allocas, which passes expect to find first.
    while (At != Entry.end() && isa<AllocaInst>(*At))
      ++At;
    IRBuilder<> Builder(&Entry, At);
    Value *Depth = Builder.CreateLoad(IntPtrTy, DepthAddress, "tm.depth");
    Value *Inner = Builder.CreateAdd(Depth, ConstantInt::get(IntPtrTy, 1),
                                     "tm.depth.inner");
    Builder.CreateStore(Inner, DepthAddress);
    // The slot is computed once: each call then costs one store.
    Value *Index = Builder.CreateAnd(
        Depth, ConstantInt::get(IntPtrTy, TM_SHADOW_STACK_CAPACITY - 1),
        "tm.slot.index");
    Value *Slot = Builder.CreateInBoundsGEP(
        ShadowStackTy, Stack, {Builder.getInt32(0), Builder.getInt32(1), Index},
        "tm.slot");

    for (CallBase *Call : Calls.FramedCalls) {
      Builder.SetInsertPoint(Call);
      Builder.CreateStore(Sites.recordFor(F, Call->getDebugLoc().get(), 0),
                          Slot);
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
    F.addFnAttr(ShadowFrameAttribute);
  }

  /// Removes memory-effect attributes from Functions and from their call
  /// sites in this module (a call site may carry the callee's readnone).
  void forgetMemoryEffects(ArrayRef<Function *> Functions) {
    AttributeMask Effects = tmcompat::memoryEffectAttributes();
    for (Function *F : Functions) {
      F->removeFnAttrs(Effects);
      SmallVector<User *, 8> Users(F->users());
      while (!Users.empty()) {
        User *U = Users.pop_back_val();
        // On LLVM 14 a call of another type goes through a bitcast.
        if (isa<ConstantExpr>(U)) {
          Users.append(U->user_begin(), U->user_end());
          continue;
        }
        auto *CB = dyn_cast<CallBase>(U);
        if (CB && CB->getCalledOperand()->stripPointerCasts() == F)
          CB->removeFnAttrs(Effects);
      }
    }
  }

  /// The runtime entry for Callee: Callee's type plus a trailing site
  /// record pointer, with Callee's attributes minus those that would make
  /// later passes treat it as an allocator.
  Function *entryFor(Function &Callee) {
    std::string Name = (Twine(EntryPrefix) + Callee.getName()).str();
    if (Function *Existing = M.getFunction(Name))
      return Existing;
    FunctionType *CalleeTy = Callee.getFunctionType();
    SmallVector<Type *, 5> Params(CalleeTy->param_begin(),
                                  CalleeTy->param_end());
    Params.push_back(Sites.recordPointerType());
    auto *EntryTy = FunctionType::get(CalleeTy->getReturnType(), Params, false);
    Function *Entry = Function::Create(EntryTy, GlobalValue::ExternalLinkage,
                                       Callee.getAddressSpace(), Name, &M);
    Entry->setAttributes(
        withoutAllocatorAttributes(Callee.getAttributes(), EntryTy));
    Entry->setCallingConv(Callee.getCallingConv());
    Entry->setDSOLocal(Callee.isDSOLocal());
    return Entry;
  }

  AttributeList withoutAllocatorAttributes(AttributeList Attrs,
                                           FunctionType *NewTy) const {
    LLVMContext &Ctx = M.getContext();
    AttributeSet FnAttrs =
        Attrs.getFnAttrs()
            .removeAttributes(Ctx, tmcompat::allocatorFunctionAttributes())
            .removeAttributes(Ctx, tmcompat::memoryEffectAttributes());
    SmallVector<AttributeSet, 5> ParamAttrs;
    // The last parameter is the site record, which had no counterpart.
    for (unsigned I = 0; I + 1 < NewTy->getNumParams(); ++I)
      ParamAttrs.push_back(Attrs.getParamAttrs(I).removeAttributes(
          Ctx, tmcompat::allocatorParameterAttributes()));
    ParamAttrs.push_back(AttributeSet());
    return AttributeList::get(Ctx, FnAttrs, Attrs.getRetAttrs(), ParamAttrs);
  }

  void rewriteCall(CallBase &CB, Function &F, uint16_t Flags) {
    auto *Callee = cast<Function>(CB.getCalledOperand()->stripPointerCasts());
    Function *Entry = entryFor(*Callee);

    // Keep the call's own function type (on 14 it may differ from the
    // callee's through a bitcast): the new call passes exactly the original
    // arguments plus the site, and casts the entry if needed.
    FunctionType *CallTy = CB.getFunctionType();
    SmallVector<Type *, 5> ParamTys(CallTy->param_begin(), CallTy->param_end());
    ParamTys.push_back(Sites.recordPointerType());
    auto *NewTy = FunctionType::get(CallTy->getReturnType(), ParamTys,
                                    CallTy->isVarArg());
    Constant *NewCallee = ConstantExpr::getPointerCast(
        Entry, tmcompat::pointerToFunction(NewTy, Entry->getAddressSpace()));

    SmallVector<Value *, 5> Args(CB.arg_begin(), CB.arg_end());
    Args.push_back(Sites.recordFor(F, CB.getDebugLoc().get(), Flags));
    SmallVector<OperandBundleDef, 1> Bundles;
    CB.getOperandBundlesAsDefs(Bundles);

    IRBuilder<> Builder(&CB);
    CallBase *NewCB;
    if (auto *Invoke = dyn_cast<InvokeInst>(&CB)) {
      // Still an invoke: a throwing operator new must unwind to the same
      // landing pad through the runtime entry.
      NewCB = Builder.CreateInvoke(NewTy, NewCallee, Invoke->getNormalDest(),
                                   Invoke->getUnwindDest(), Args, Bundles);
    } else {
      auto *NewCall = Builder.CreateCall(NewTy, NewCallee, Args, Bundles);
      NewCall->setTailCallKind(cast<CallInst>(CB).getTailCallKind());
      NewCB = NewCall;
    }
    NewCB->setCallingConv(CB.getCallingConv());
    NewCB->setAttributes(withoutAllocatorAttributes(CB.getAttributes(), NewTy));
    NewCB->copyMetadata(CB);
    NewCB->takeName(&CB);
    CB.replaceAllUsesWith(NewCB);
    CB.eraseFromParent();
  }

  /// void __tm_module_ctor() { __tm_register_module(TM_ABI_VERSION, file); }
  void emitModuleConstructor() {
    // Running the pass twice (e.g. ThinLTO pre-link and backend) must not
    // register the module twice.
    if (M.getFunction(ModuleCtorName))
      return;
    LLVMContext &Ctx = M.getContext();
    Type *VoidTy = Type::getVoidTy(Ctx);
    FunctionCallee Register = M.getOrInsertFunction(
        RegisterModuleName,
        FunctionType::get(
            VoidTy, {Type::getInt32Ty(Ctx), Sites.recordPointerType()}, false));
    // Internal: one per module, never merged across modules, no comdat.
    Function *Ctor =
        Function::Create(FunctionType::get(VoidTy, false),
                         GlobalValue::InternalLinkage, ModuleCtorName, &M);
    Ctor->addFnAttr(Attribute::NoUnwind);
    IRBuilder<> Builder(BasicBlock::Create(Ctx, "", Ctor));
    Builder.CreateCall(Register, {Builder.getInt32(TM_ABI_VERSION),
                                  Sites.stringFor(M.getSourceFileName())});
    Builder.CreateRetVoid();
    appendToGlobalCtors(M, Ctor, ModuleCtorPriority);
  }

  Module &M;
  PassOptions Options;
  GetTLIFn GetTLI;
  SiteRecordTable Sites;
  DenseMap<const Function *, const AllocationFunction *> Recognised;
  IntegerType *IntPtrTy;
  // { uintptr_t depth; const tm_site *ring[CAP]; }
  StructType *ShadowStackTy;
  Constant *ShadowStackAddress = nullptr;
};

struct TraceMallocPass : PassInfoMixin<TraceMallocPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    FunctionAnalysisManager &FAM =
        MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
    auto GetTLI = [&FAM](Function &F) -> const TargetLibraryInfo & {
      return FAM.getResult<TargetLibraryAnalysis>(F);
    };
    ModuleInstrumenter Instrumenter(M, PassOptions::fromEnvironment(), GetTLI);
    return Instrumenter.run() ? PreservedAnalyses::none()
                              : PreservedAnalyses::all();
  }

  // Without this the pass is skipped on optnone functions, i.e. at -O0.
  static bool isRequired() { return true; }
};

void registerCallbacks(PassBuilder &PB) {
  // OptimizerLast: only allocations that survived optimisation are traced,
  // and instrumenting does not stop LLVM eliding malloc/free pairs.  The
  // generic tail accepts LLVM 20's extra ThinOrFullLTOPhase argument.
  PB.registerOptimizerLastEPCallback(
      [](ModulePassManager &MPM, auto /*Level*/, auto... /*Phase*/) {
        MPM.addPass(TraceMallocPass());
      });
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (Name != PassName)
          return false;
        MPM.addPass(TraceMallocPass());
        return true;
      });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "TraceMalloc", LLVM_VERSION_STRING,
          registerCallbacks};
}
