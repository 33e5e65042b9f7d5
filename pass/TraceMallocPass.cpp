//===- TraceMallocPass.cpp - route allocations through the runtime --------===//
//
// The pass and its plugin entry point.  Per function: take the inventory of
// its calls (CallInventory), push a shadow-stack frame if it needs one
// (ShadowFrames), rewrite its allocation calls into runtime entry calls whose
// site records say whether the frame is live (EntryCalls, SiteRecords), then
// forget the memory effects the instrumentation made false.  Each
// instrumented module registers with the runtime (ABI version check).
//
// See docs/design-pass.md for why the pass runs at OptimizerLast, why only
// calls to *declared* allocation functions are rewritten, its options and
// statistics, and the shadow stack's protocol and cost.
//
//===----------------------------------------------------------------------===//

#include "AllocationFunctions.h"
#include "AllocationReach.h"
#include "CallInventory.h"
#include "EntryCalls.h"
#include "LLVMCompat.h"
#include "ShadowFrames.h"
#include "SiteRecords.h"
#include "Statistics.h"
#include "tracemalloc/abi.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Compiler.h"

#include <optional>

#define DEBUG_TYPE "tracemalloc"

using namespace llvm;
using namespace tracemalloc;

// On a clang that loads the plugin with -fpass-plugin= only, `-mllvm` does
// not know this option before LLVM 22 (llvm-project issue 56137): tm-clang
// also passes -fplugin=, which loads the plugin before options are parsed.
static cl::opt<bool> ShadowStackOption(
    "tracemalloc-shadow-stack", cl::init(true),
    cl::desc("Keep the per-thread shadow stack of call sites, so that traces "
             "have the frames of instrumented callers (false: one frame per "
             "trace, the allocation's line and its inline parents, at the "
             "lowest cost)"));

static cl::opt<std::string> FileRootOption(
    "tracemalloc-file-root", cl::init(""), cl::value_desc("directory"),
    cl::desc("Name the files under this directory relative to it in site "
             "records (compared lexically with the names debug info gives, "
             "after -ffile-prefix-map)"));

TM_STATISTIC(NumFunctionsSkipped,
             "Functions left alone (runtime functions, functions an earlier "
             "run instrumented)");
TM_STATISTIC(NumProvenWithoutAllocation,
             "Functions proven never to reach an allocation (their calls "
             "need no shadow-stack slot)");
TM_STATISTIC(NumModulesRegistered,
             "Modules that register with the runtime (ABI check)");

namespace {

constexpr char PassName[] = "tracemalloc";

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

/// Definitions only, and not the runtime's own or those an earlier run of
/// the pass instrumented (twice in one pipeline, or the pre-link and link
/// steps of LTO): a second frame would show the function twice in every
/// traceback.
bool shouldInstrument(const Function &F) {
  if (F.isDeclaration() || F.hasAvailableExternallyLinkage())
    return false;
  if (ShadowFrames::pushedBefore(F) || isRuntimeFunction(F)) {
    ++NumFunctionsSkipped;
    return false;
  }
  return true;
}

/// Instruments one module; returns whether it changed anything.
bool instrumentModule(Module &M, GetTLIFn GetTLI) {
  SiteRecordTable Sites(M, FileRootOption);
  AllocationFunctions Known(GetTLI);
  ShadowFrames Frames(M, Sites);
  EntryCalls Entries(M, Sites);
  // Without the shadow stack each trace has one frame (the site record and
  // its inline parents): no function pushes a frame, allocation records have
  // flags 0, and only allocation calls are rewritten.
  const bool ShadowStack = ShadowStackOption && Frames.stackNameIsUsable();
  // Taken before anything is rewritten: the entries are runtime calls.
  std::optional<AllocationReach> Reach;
  if (ShadowStack) {
    Reach.emplace(M, Known);
    NumProvenWithoutAllocation += Reach->provenCount();
  }
  bool NeedsRuntime = false;
  SmallVector<Function *, 16> WithoutMemoryEffects;
  for (Function &F : M) {
    if (!shouldInstrument(F))
      continue;
    CallInventory Calls =
        CallInventory::of(F, Known, Reach ? &*Reach : nullptr);
    bool PushesFrame =
        ShadowStack && ShadowFrames::canPush(F) && Calls.needFrame();
    if (PushesFrame)
      Frames.push(F, Calls, Known);
    for (const CallInventory::Allocation &A : Calls.Allocations)
      Entries.rewrite(
          *A.Call, PushesFrame && !A.EndsFrame ? TM_SITE_OWN_SHADOW_FRAME : 0);
    NeedsRuntime = NeedsRuntime || PushesFrame || !Calls.Allocations.empty();
    // F's memory effects were inferred from its callees: malloc's summary
    // is false of the entry (it reads the site record), and any callee may
    // now write the shadow stack.  With such an attribute left in place a
    // later pass (LTO runs after us) could delete or reorder the stores.
    if (PushesFrame || !Calls.Allocations.empty() ||
        (ShadowStack && Calls.MakesVisibleCalls))
      WithoutMemoryEffects.push_back(&F);
  }
  forgetMemoryEffects(WithoutMemoryEffects);
  if (NeedsRuntime) {
    Entries.emitModuleRegistration();
    ++NumModulesRegistered;
  }
  return NeedsRuntime || !WithoutMemoryEffects.empty();
}

struct TraceMallocPass : PassInfoMixin<TraceMallocPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM) {
    FunctionAnalysisManager &FAM =
        MAM.getResult<FunctionAnalysisManagerModuleProxy>(M).getManager();
    auto GetTLI = [&FAM](Function &F) -> const TargetLibraryInfo & {
      return FAM.getResult<TargetLibraryAnalysis>(F);
    };
    return instrumentModule(M, GetTLI) ? PreservedAnalyses::none()
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
