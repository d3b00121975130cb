//===- mlax-compile.cpp - ahead-of-time compiler for mlax modules ---------===//
//
// Compiles a module in the mlax dialect (every transformation request
// expanded, as mlax.export writes it) without IREE:
//
//   --emit=mlir-linalg  the module after mlax-lower-to-linalg
//   --emit=mlir-llvm    the LLVM-dialect module of the native path
//   --emit=llvm         LLVM IR, optimized (-O3) for the target
//   --emit=object       a relocatable object file (PIC)
//   --emit=header       a C/C++ header declaring one function per entry point
//
// The native path: lower to linalg, tile and vectorize (mlax-native-vectorize),
// bufferize with results turned into caller-provided output buffers, free
// temporaries (buffer deallocation pipeline), lower vectors
// (mlax-native-lower-vectors) and everything else to the LLVM dialect with
// bare-pointer calling conventions, translate, optimize and emit. The object
// needs only libc and libm. `--emit=vmfb` (IREE) is served by the Python
// wrapper of this tool (mlax._tools), which calls this driver for the lowering.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/native/NativePasses.h"

#include "mlir/Conversion/ComplexToLLVM/ComplexToLLVM.h"
#include "mlir/Conversion/ComplexToStandard/ComplexToStandard.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/Transforms/InlinerInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/TargetParser/Triple.h"

#include "EmitHeader.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

enum class Emit { MlirLinalg, MlirLLVM, LLVMIR, Object, Header };

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<input .mlir file>"),
                                   cl::init("-"));
cl::opt<std::string> outputFilename("o", cl::desc("Output file"),
                                    cl::value_desc("filename"), cl::init("-"));
cl::opt<Emit> emitKind(
    "emit", cl::desc("What to produce"), cl::init(Emit::Object),
    cl::values(clEnumValN(Emit::MlirLinalg, "mlir-linalg", "linalg-level MLIR"),
               clEnumValN(Emit::MlirLLVM, "mlir-llvm", "LLVM-dialect MLIR"),
               clEnumValN(Emit::LLVMIR, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Object, "object", "a native object file"),
               clEnumValN(Emit::Header, "header", "a C/C++ header")));
cl::opt<std::string>
    symbolPrefix("name",
                 cl::desc("C name of the module: @main becomes NAME, any "
                          "other entry point @f becomes NAME_f (default: "
                          "the input file's stem)"),
                 cl::init(""));
cl::list<std::string>
    entryPoints("functions", cl::CommaSeparated,
                cl::desc("Entry points to export (default: every public "
                         "function)"));
cl::opt<std::string>
    targetTriple("target-triple",
                 cl::desc("LLVM target triple (default: host)"), cl::init(""));
cl::opt<bool> threads(
    "parallel",
    cl::desc("Run the outer parallel loop of large ops on threads (OpenMP "
             "calls, served by mlax/embed.h or any libomp; default on)"),
    cl::init(true));
cl::opt<std::string> targetCpu("target-cpu",
                               cl::desc("Target CPU (default: host; 'generic' "
                                        "for a portable object)"),
                               cl::init("host"));

std::string sanitize(llvm::StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]))
    out.insert(out.begin(), '_');
  return out;
}

/// Rejects what the native path cannot compile, naming the op.
LogicalResult checkCompilable(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    StringRef name = op->getName().getStringRef();
    if (name == "mlax.vjp" || name == "mlax.jvp" || name == "mlax.batch" ||
        name == "mlax.shard_map") {
      op->emitError() << "unexpanded transformation request '" << name
                      << "': expand it first (mlax-opt --mlax-autodiff "
                         "--mlax-batch, or export the function with "
                         "mlax.export, which expands every request)";
      return WalkResult::interrupt();
    }
    if (name.starts_with("mlax.") &&
        (name == "mlax.psum" || name == "mlax.all_gather" ||
         name == "mlax.psum_scatter" || name == "mlax.all_to_all" ||
         name == "mlax.ppermute" || name == "mlax.axis_index" ||
         name == "mlax.sharding_constraint")) {
      op->emitError() << "'" << name
                      << "' needs the SPMD runtime; mlax-compile compiles "
                         "single-device modules only";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

/// optimization_barrier only steers IREE's scheduling (checkpoint emits it);
/// the native path compiles each function as written, so it is dropped.
void dropOptimizationBarriers(ModuleOp module) {
  module.walk([](Operation *op) {
    if (op->getName().getStringRef() == "mlax.optimization_barrier") {
      op->replaceAllUsesWith(op->getOperands());
      op->erase();
    }
  });
}

/// The caller's input buffers are read-only: a function that updates a
/// tensor in place (a scatter's loop, a scan) writes a copy, never the
/// argument (one-shot bufferization would otherwise reuse it).
void markArgumentsReadOnly(ModuleOp module) {
  Builder b(module.getContext());
  for (auto func : module.getOps<func::FuncOp>())
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<TensorType>(func.getArgument(i).getType()))
        func.setArgAttr(i, "bufferization.writable", b.getBoolAttr(false));
}

/// Public functions become the entry points (renamed to C names); the
/// others turn private.
FailureOr<SmallVector<mlax::EntryPoint>>
selectEntryPoints(ModuleOp module, StringRef prefix, bool rename) {
  SmallVector<mlax::EntryPoint> entries;
  llvm::StringSet<> wanted;
  for (const std::string &f : entryPoints)
    wanted.insert(f);
  llvm::StringSet<> found;
  for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
    if (func.isDeclaration() || func.isPrivate())
      continue;
    StringRef name = func.getSymName();
    if (!wanted.empty() && !wanted.contains(name)) {
      func.setPrivate();
      continue;
    }
    found.insert(name);
    std::string cname =
        name == "main" ? prefix.str() : (prefix + "_" + sanitize(name)).str();
    mlax::EntryPoint entry{name.str(), cname, func.getArgumentTypes().vec(),
                           func.getResultTypes().vec()};
    for (Type t : llvm::concat<Type>(entry.inputs, entry.results)) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      if (!tensor || !tensor.hasStaticShape()) {
        func.emitError() << "entry point @" << name
                         << " has a non-static-tensor argument or result " << t
                         << ": the native path needs static shapes";
        return failure();
      }
    }
    if (rename) {
      if (failed(SymbolTable::replaceAllSymbolUses(
              func, StringAttr::get(module.getContext(), cname), module)))
        return failure();
      func.setSymName(cname);
    }
    entries.push_back(std::move(entry));
  }
  for (const std::string &f : entryPoints)
    if (!found.contains(f)) {
      module.emitError() << "--functions names @" << f
                         << ", which is not a public function of the module";
      return failure();
    }
  if (entries.empty()) {
    module.emitError() << "the module has no public function to compile";
    return failure();
  }
  return entries;
}

void buildLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(mlax::createMlaxLowerToLinalg());
  pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

// Ops below this many iterations stay on the calling thread: starting a
// parallel region costs a few microseconds.
constexpr int64_t kMinParallelWork = 1 << 15;

void buildNativePipeline(OpPassManager &pm) {
  pm.addPass(mlax::createMlaxNativeWidenBools());
  mlax::MlaxNativeVectorizeOptions vectorize;
  vectorize.minParallelWork = threads ? kMinParallelWork : 0;
  pm.addNestedPass<func::FuncOp>(mlax::createMlaxNativeVectorize(vectorize));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  // Loops (while, scan) yield fresh buffers each iteration.
  bufferize.allowReturnAllocsFromLoops = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Tile loops carry their buffer as an iter_arg and copy each tile onto
  // itself: folding both first lets a result's allocation become the
  // caller's output buffer (no copy out).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addNestedPass<func::FuncOp>(mlax::createMlaxNativeLowerVectors());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  VectorTransferToSCFOptions toScf;
  toScf.enableFullUnroll();
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(toScf));
  // scf.parallel (the forall loops) becomes omp.parallel + omp.wsloop:
  // LLVM's OpenMP builder outlines each body and calls __kmpc_fork_call.
  pm.addPass(createConvertSCFToOpenMPPass());
}

/// convert-scf-to-openmp wraps each parallel body in memref.alloca_scope,
/// which must keep a single block, and the loops inside are about to become
/// blocks. The bodies allocate nothing on the stack, so the scopes go.
void inlineAllocaScopes(ModuleOp module) {
  SmallVector<memref::AllocaScopeOp> scopes;
  module.walk([&](memref::AllocaScopeOp scope) {
    bool allocates = false;
    scope.walk([&](memref::AllocaOp) { allocates = true; });
    if (!allocates && scope->getNumResults() == 0)
      scopes.push_back(scope);
  });
  for (memref::AllocaScopeOp scope : scopes) {
    Block &body = scope.getBodyRegion().front();
    body.getTerminator()->erase();
    scope->getBlock()->getOperations().splice(Block::iterator(scope),
                                              body.getOperations());
    scope->erase();
  }
}

/// Buffer deallocation keeps ownership flags in memrefs of i1, which the
/// memref-to-LLVM lowering cannot store: they become byte buffers (the flags
/// themselves stay i1 in registers).
void widenBoolMemrefs(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  auto i8 = IntegerType::get(ctx, 8);
  auto widen = [&](Type t) -> Type {
    auto memref = dyn_cast<MemRefType>(t);
    if (!memref || !memref.getElementType().isInteger(1))
      return t;
    return MemRefType::get(memref.getShape(), i8, memref.getLayout(),
                           memref.getMemorySpace());
  };
  mlax::retypeInPlace(module, widen);
  OpBuilder b(ctx);
  module.walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (!load.getType().isInteger(1) ||
          !load.getMemRefType().getElementType().isInteger(8))
        return;
      load.getResult().setType(i8);
      b.setInsertionPointAfter(load);
      Value flag = arith::TruncIOp::create(b, load.getLoc(), b.getI1Type(),
                                           load.getResult());
      load.getResult().replaceAllUsesExcept(flag, flag.getDefiningOp());
    } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (!store.getValue().getType().isInteger(1) ||
          !store.getMemRefType().getElementType().isInteger(8))
        return;
      b.setInsertionPoint(store);
      store.getValueMutable().assign(
          arith::ExtUIOp::create(b, store.getLoc(), i8, store.getValue()));
    }
  });
}

void buildLLVMPipeline(OpPassManager &pm) {
  // Bare-pointer calls need static shapes: helpers over dynamic memrefs
  // (buffer deallocation's dealloc_helper) are inlined first.
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Complex arithmetic to real arithmetic on the parts (the values stay
  // complex structs until complex-to-llvm below).
  pm.addPass(createConvertComplexToStandardPass());
  // Math with an LLVM intrinsic first; the rest (erf, ...) calls libm.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  // After func-to-llvm: this pass would convert functions too, without the
  // bare-pointer convention.
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertComplexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

std::unique_ptr<llvm::TargetMachine> makeTargetMachine(ModuleOp module) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargets();
  llvm::InitializeAllTargetMCs();
  llvm::InitializeAllAsmPrinters();
  std::string tripleName = targetTriple.empty()
                               ? llvm::sys::getDefaultTargetTriple()
                               : std::string(targetTriple);
  llvm::Triple triple(tripleName);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    module.emitError() << "unsupported target triple '" << tripleName
                       << "': " << error;
    return nullptr;
  }
  std::string cpu = targetCpu;
  std::string features;
  bool host = targetTriple.empty() ||
              triple == llvm::Triple(llvm::sys::getDefaultTargetTriple());
  if (cpu == "host") {
    if (!host) {
      module.emitError() << "--target-cpu=host needs the host's triple; name "
                            "a CPU for '"
                         << tripleName << "' (or 'generic')";
      return nullptr;
    }
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      f.AddFeature(feature.first(), feature.second);
    features = f.getString();
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  if (!tm)
    module.emitError() << "could not create a target machine for '"
                       << tripleName << "' cpu '" << cpu << "'";
  return tm;
}

void optimize(llvm::Module &module, llvm::TargetMachine &tm) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder pb(&tm, tuning);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager mpm =
      pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  mpm.run(module, mam);
}

int compile(MLIRContext &context, llvm::SourceMgr &sourceMgr) {
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (failed(verify(*module)) || failed(checkCompilable(*module)))
    return 1;
  std::string prefix = symbolPrefix;
  if (prefix.empty())
    prefix = inputFilename == "-"
                 ? std::string("mlax_module")
                 : sanitize(llvm::sys::path::stem(inputFilename));
  FailureOr<SmallVector<mlax::EntryPoint>> entries =
      selectEntryPoints(*module, prefix,
                        /*rename=*/emitKind != Emit::MlirLinalg);
  if (failed(entries))
    return 1;

  std::string errorMessage;
  auto output = openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  if (emitKind == Emit::Header) {
    mlax::emitHeader(prefix, *entries, output->os());
    output->keep();
    return 0;
  }

  if (emitKind != Emit::MlirLinalg) {
    dropOptimizationBarriers(*module);
    markArgumentsReadOnly(*module);
  }
  PassManager pm(&context);
  if (failed(applyPassManagerCLOptions(pm)))
    return 1;
  buildLinalgPipeline(pm);
  if (emitKind != Emit::MlirLinalg)
    buildNativePipeline(pm);
  if (failed(pm.run(*module)))
    return 1;
  if (emitKind != Emit::MlirLinalg) {
    inlineAllocaScopes(*module);
    widenBoolMemrefs(*module);
    if (failed(verify(*module)))
      return 1;
    PassManager toLLVM(&context);
    if (failed(applyPassManagerCLOptions(toLLVM)))
      return 1;
    buildLLVMPipeline(toLLVM);
    if (failed(toLLVM.run(*module)))
      return 1;
  }
  if (emitKind == Emit::MlirLinalg || emitKind == Emit::MlirLLVM) {
    module->print(output->os());
    output->keep();
    return 0;
  }

  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(*module);
  if (!tm)
    return 1;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, prefix);
  if (!llvmModule) {
    module->emitError() << "translation to LLVM IR failed";
    return 1;
  }
  llvmModule->setTargetTriple(tm->getTargetTriple());
  llvmModule->setDataLayout(tm->createDataLayout());
  optimize(*llvmModule, *tm);
  if (emitKind == Emit::LLVMIR) {
    llvmModule->print(output->os(), nullptr);
    output->keep();
    return 0;
  }
  llvm::legacy::PassManager codegen;
  if (tm->addPassesToEmitFile(codegen, output->os(), nullptr,
                              llvm::CodeGenFileType::ObjectFile)) {
    module->emitError() << "the target cannot emit object files";
    return 1;
  }
  codegen.run(*llvmModule);
  output->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mlax ahead-of-time compiler\n");

  DialectRegistry registry;
  mlax::registerMlaxDialects(registry);
  registry.insert<bufferization::BufferizationDialect, LLVM::LLVMDialect,
                  memref::MemRefDialect, vector::VectorDialect,
                  affine::AffineDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerSubsetOpInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
  LLVM::registerInlinerInterface(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  // Every upstream dialect and extension: the passes reach for interfaces
  // (value bounds, subsets, inlining) that dialects only promise, and a
  // missing one aborts instead of failing with a diagnostic.
  registerAllDialects(registry);
  registerAllExtensions(registry);
  MLIRContext context(registry);

  std::string errorMessage;
  auto input = openInputFile(inputFilename, &errorMessage);
  if (!input) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  return compile(context, sourceMgr);
}
