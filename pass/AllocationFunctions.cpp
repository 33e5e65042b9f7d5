//===- AllocationFunctions.cpp - which calls allocate ---------------------===//
//
// The allocation functions and their signatures come from abi.h's
// TM_ALLOCATION_FUNCTIONS, the list the runtime declares its entries from: a
// declaration counts as one of them only when its IR type is the C type the
// list gives, so the runtime entry always receives the arguments it expects.
// TargetLibraryInfo adds its own checks for the names it knows, and says
// where a name is not the library's (-fno-builtin, -ffreestanding).
//
//===----------------------------------------------------------------------===//

#include "AllocationFunctions.h"

#include "AbiTypes.h"
#include "tracemalloc/abi.h"

#include "llvm/IR/Module.h"

#include <iterator>
#include <string_view>
#include <type_traits>

using namespace llvm;

namespace tracemalloc {

namespace {

struct AllocationFunction {
  std::string_view Name;
  bool (*MatchesSignature)(FunctionType *, const DataLayout &);
  FunctionType *(*Signature)(LLVMContext &, const DataLayout &);
  // free and operator delete return nothing; every other function allocates.
  bool Allocates;
};

constexpr AllocationFunction AllocationFunctionList[] = {
#define TM_ALLOCATION_FUNCTION(symbol, result, parameters, exceptions)         \
  {#symbol, &tmabi::CFunction<result parameters>::matches,                     \
   &tmabi::CFunction<result parameters>::irType, !std::is_void_v<result>},
    TM_ALLOCATION_FUNCTIONS(TM_ALLOCATION_FUNCTION)
#undef TM_ALLOCATION_FUNCTION
};

const AllocationFunction *findAllocationFunction(StringRef Name) {
  std::string_view Wanted(Name.data(), Name.size());
  for (const AllocationFunction &Known : AllocationFunctionList)
    if (Known.Name == Wanted)
      return &Known;
  return nullptr;
}

} // namespace

bool AllocationFunctions::isAllocationCall(CallBase &CB, Function &Caller) {
  auto *Callee = dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  if (!Callee || !Callee->isDeclaration() || Callee->isIntrinsic())
    return false;
  auto Cached = Recognised.find(Callee);
  if (Cached != Recognised.end())
    return Cached->second;
  bool Allocates = false;
  if (const AllocationFunction *Known =
          findAllocationFunction(Callee->getName())) {
    Allocates = Known->MatchesSignature(Callee->getFunctionType(),
                                        Callee->getParent()->getDataLayout());
    const TargetLibraryInfo &TLI = GetTLI(Caller);
    LibFunc Func;
    // The Function overload checks name and prototype and, unlike the
    // CallBase one, accepts `nobuiltin` calls such as ::operator new(n).
    // Names this LLVM does not know (pvalloc, reallocarray, the
    // __hot_cold_t operator new on LLVM 14) rest on the signature alone.
    if (Allocates && TLI.getLibFunc(Callee->getName(), Func))
      Allocates = TLI.getLibFunc(*Callee, Func);
  }
  Recognised[Callee] = Allocates;
  return Allocates;
}

bool AllocationFunctions::isFreeingCall(CallBase &CB, Function &Caller) {
  if (!isAllocationCall(CB, Caller))
    return false;
  auto *Callee = cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  const AllocationFunction *Known = findAllocationFunction(Callee->getName());
  return Known && !Known->Allocates;
}

SmallVector<Function *, 2>
AllocationFunctions::allocatorsCalledAs(FunctionType *Ty, Function &Caller) {
  return candidates(Ty, Caller, /*Declare=*/true);
}

bool AllocationFunctions::mayCallAllocator(const CallBase &CB,
                                           Function &Caller) {
  if (CB.isInlineAsm() ||
      isa<Function>(CB.getCalledOperand()->stripPointerCasts()))
    return false;
  return !candidates(CB.getFunctionType(), Caller, /*Declare=*/false).empty();
}

SmallVector<Function *, 2> AllocationFunctions::candidates(FunctionType *Ty,
                                                           Function &Caller,
                                                           bool Declare) {
  Module &M = *Caller.getParent();
  const DataLayout &DL = M.getDataLayout();
  SmallVector<Function *, 2> Allocators;
  for (const AllocationFunction &Known : AllocationFunctionList) {
    if (!Known.Allocates || !Known.MatchesSignature(Ty, DL))
      continue;
    StringRef Name(Known.Name.data(), Known.Name.size());
    GlobalValue *Existing = M.getNamedValue(Name);
    if (auto *Declared = dyn_cast_or_null<Function>(Existing)) {
      Allocators.push_back(Declared);
      continue;
    }
    // Declaring any other name could make a C program need libstdc++, and
    // under -ffreestanding or -fno-builtin-malloc there may be no malloc.
    bool PluggedInLibraries =
        Name == "malloc" || Name == "calloc" || Name == "realloc";
    LibFunc Func;
    const TargetLibraryInfo &TLI = GetTLI(Caller);
    if (Existing || !PluggedInLibraries || !TLI.getLibFunc(Name, Func) ||
        !TLI.has(Func))
      continue;
    Allocators.push_back(
        Declare ? Function::Create(Known.Signature(M.getContext(), DL),
                                   GlobalValue::ExternalLinkage, Name, M)
                : nullptr);
  }
  return Allocators;
}

/// Only functions LLVM knows as library functions count, and only where the
/// compiler may treat them as such: a function the program declares `pure`
/// may still allocate (its callers' frames must then be current).  A program
/// that defines its own function of a library name without -fno-builtin gets
/// a stale caller frame above an allocation in it.
bool AllocationFunctions::isReadOnlyLibraryCall(const CallBase &CB,
                                                Function &Caller) {
  if (!CB.onlyReadsMemory() || CB.isNoBuiltin())
    return false;
  auto *Callee = dyn_cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  if (!Callee || !Callee->isDeclaration())
    return false;
  // has(): not under -fno-builtin / -ffreestanding / -fno-builtin-NAME,
  // where a function of that name may be the program's own.
  const TargetLibraryInfo &TLI = GetTLI(Caller);
  LibFunc Func;
  return TLI.getLibFunc(*Callee, Func) && TLI.has(Func);
}

} // namespace tracemalloc
