//===- EntryCalls.cpp - the calls the pass adds into the runtime ----------===//
//
// An entry has the original function's type plus the site record pointer
// (abi.h), and the original's attributes minus those that would make later
// passes treat it as an allocator: instrumenting must not change what the
// program allocates.
//
//===----------------------------------------------------------------------===//

#include "EntryCalls.h"

#include "LLVMCompat.h"
#include "Statistics.h"
#include "tracemalloc/abi.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/IR/BasicBlock.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#define DEBUG_TYPE "tracemalloc"

using namespace llvm;

TM_STATISTIC(NumAllocationCallsRewritten,
             "Allocation calls rewritten into runtime entry calls");

namespace tracemalloc {

namespace {
constexpr char EntryPrefix[] = TM_ENTRY_PREFIX;
constexpr char RegisterModuleName[] = TM_REGISTER_MODULE_NAME;
// Starts with the entry prefix, so the pass never instruments it.
constexpr char ModuleCtorName[] = "__tm_module_ctor";
// Runs before ordinary constructors (65535) so that allocations made by
// other constructors of this module find it registered.
constexpr int ModuleCtorPriority = 1;
} // namespace

bool isRuntimeFunction(const Function &F) {
  return tmcompat::startsWith(F.getName(), EntryPrefix);
}

Function *EntryCalls::entryFor(Function &Callee) {
  std::string Name = (Twine(EntryPrefix) + Callee.getName()).str();
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  FunctionType *CalleeTy = Callee.getFunctionType();
  SmallVector<Type *, 5> Params(CalleeTy->param_begin(), CalleeTy->param_end());
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

AttributeList
EntryCalls::withoutAllocatorAttributes(AttributeList Attrs,
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

void EntryCalls::rewrite(CallBase &CB, uint16_t Flags) {
  auto *Callee = cast<Function>(CB.getCalledOperand()->stripPointerCasts());
  Function *Entry = entryFor(*Callee);

  // Keep the call's own function type (on 14 it may differ from the
  // callee's through a bitcast): the new call passes exactly the original
  // arguments plus the site, and casts the entry if needed.
  FunctionType *CallTy = CB.getFunctionType();
  SmallVector<Type *, 5> ParamTys(CallTy->param_begin(), CallTy->param_end());
  ParamTys.push_back(Sites.recordPointerType());
  auto *NewTy =
      FunctionType::get(CallTy->getReturnType(), ParamTys, CallTy->isVarArg());
  Constant *NewCallee = ConstantExpr::getPointerCast(
      Entry, tmcompat::pointerToFunction(NewTy, Entry->getAddressSpace()));

  SmallVector<Value *, 5> Args(CB.arg_begin(), CB.arg_end());
  Args.push_back(Sites.recordFor(CB, Flags));
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
  ++NumAllocationCallsRewritten;
}

void EntryCalls::emitModuleRegistration() {
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

} // namespace tracemalloc
