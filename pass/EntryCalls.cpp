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

bool mayLoadWithoutRuntime(const Module &M) {
  return M.getPICLevel() != PICLevel::NotPIC &&
         M.getPIELevel() == PIELevel::Default;
}

namespace {
// __tm_register_module, declared once: weak where the runtime may be
// absent, so that the module loads without it.
FunctionCallee registerModuleFunction(Module &M, SiteRecordTable &Sites) {
  LLVMContext &Ctx = M.getContext();
  FunctionCallee Register = M.getOrInsertFunction(
      RegisterModuleName,
      FunctionType::get(Type::getVoidTy(Ctx),
                        {Type::getInt32Ty(Ctx), Sites.recordPointerType()},
                        false));
  auto *F = dyn_cast<Function>(Register.getCallee()->stripPointerCasts());
  if (F && F->isDeclaration() && mayLoadWithoutRuntime(M))
    F->setLinkage(GlobalValue::ExternalWeakLinkage);
  return Register;
}
} // namespace

Value *runtimeIsLoaded(IRBuilder<> &Builder, SiteRecordTable &Sites) {
  Module &M = *Builder.GetInsertBlock()->getModule();
  Value *Register = registerModuleFunction(M, Sites).getCallee();
  return Builder.CreateICmpNE(
      Register,
      ConstantPointerNull::get(cast<PointerType>(Register->getType())),
      "tm.runtime.loaded");
}

Function *EntryCalls::entryFor(Function &Callee) {
  std::string Name = (Twine(EntryPrefix) + Callee.getName()).str();
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  FunctionType *CalleeTy = Callee.getFunctionType();
  SmallVector<Type *, 5> Params(CalleeTy->param_begin(), CalleeTy->param_end());
  Params.push_back(Sites.recordPointerType());
  auto *EntryTy = FunctionType::get(CalleeTy->getReturnType(), Params, false);
  Function *Entry = Function::Create(EntryTy,
                                     mayLoadWithoutRuntime(M)
                                         ? GlobalValue::ExternalWeakLinkage
                                         : GlobalValue::ExternalLinkage,
                                     Callee.getAddressSpace(), Name, &M);
  Entry->setAttributes(
      withoutAllocatorAttributes(Callee.getAttributes(), EntryTy));
  Entry->setCallingConv(Callee.getCallingConv());
  Entry->setDSOLocal(Callee.isDSOLocal());
  return Entry;
}

// Where the runtime may be absent, a call goes to the entry when it is
// there and to this otherwise: the original function, without the site.
// Named as the runtime's, so the pass never instruments it.
Function *EntryCalls::fallbackFor(Function &Callee, Function &Entry) {
  std::string Name =
      (Twine(EntryPrefix) + "fallback." + Callee.getName()).str();
  if (Function *Existing = M.getFunction(Name))
    return Existing;
  Function *Fallback =
      Function::Create(Entry.getFunctionType(), GlobalValue::InternalLinkage,
                       Entry.getAddressSpace(), Name, &M);
  Fallback->setAttributes(Entry.getAttributes());
  Fallback->setCallingConv(Entry.getCallingConv());
  Fallback->addFnAttr(Attribute::NoInline);
  IRBuilder<> Builder(BasicBlock::Create(M.getContext(), "", Fallback));
  SmallVector<Value *, 4> Args;
  for (Argument &A : Fallback->args())
    if (A.getArgNo() + 1 < Fallback->arg_size())
      Args.push_back(&A);
  CallInst *Call = Builder.CreateCall(Callee.getFunctionType(), &Callee, Args);
  Call->setCallingConv(Callee.getCallingConv());
  Call->setTailCall();
  if (Call->getType()->isVoidTy())
    Builder.CreateRetVoid();
  else
    Builder.CreateRet(Call);
  return Fallback;
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
  IRBuilder<> Builder(&CB);
  Value *Target = Entry;
  if (mayLoadWithoutRuntime(M)) {
    // The entry's address, or the fallback's when the runtime is absent:
    // the call stays one call (an invoke stays an invoke).
    Target = Builder.CreateSelect(runtimeIsLoaded(Builder, Sites), Entry,
                                  fallbackFor(*Callee, *Entry), "tm.entry");
  }
  Value *NewCallee = Builder.CreatePointerCast(
      Target, tmcompat::pointerToFunction(NewTy, Entry->getAddressSpace()));

  SmallVector<Value *, 5> Args(CB.arg_begin(), CB.arg_end());
  Args.push_back(Sites.recordFor(CB, Flags));
  SmallVector<OperandBundleDef, 1> Bundles;
  CB.getOperandBundlesAsDefs(Bundles);

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
  FunctionCallee Register = registerModuleFunction(M, Sites);
  // Internal: one per module, never merged across modules, no comdat.
  Function *Ctor =
      Function::Create(FunctionType::get(VoidTy, false),
                       GlobalValue::InternalLinkage, ModuleCtorName, &M);
  Ctor->addFnAttr(Attribute::NoUnwind);
  BasicBlock *Entry = BasicBlock::Create(Ctx, "", Ctor);
  IRBuilder<> Builder(Entry);
  if (mayLoadWithoutRuntime(M)) {
    // Without the runtime there is nobody to register with.
    BasicBlock *Call = BasicBlock::Create(Ctx, "register", Ctor);
    BasicBlock *Done = BasicBlock::Create(Ctx, "done", Ctor);
    Builder.CreateCondBr(runtimeIsLoaded(Builder, Sites), Call, Done);
    Builder.SetInsertPoint(Done);
    Builder.CreateRetVoid();
    Builder.SetInsertPoint(Call);
  }
  Builder.CreateCall(Register, {Builder.getInt32(TM_ABI_VERSION),
                                Sites.stringFor(M.getSourceFileName())});
  Builder.CreateRetVoid();
  appendToGlobalCtors(M, Ctor, ModuleCtorPriority);
}

} // namespace tracemalloc
