//===- MlaxCAPI.cpp - C API for the mlax dialect and passes ---------------===//

#include "dialects/mlax/capi/MlaxCAPI.h"
#include "dialects/mlax/MlaxDialect.h"
#include "passes/Passes.h"
#include "passes/batching/BatchRules.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Mlax, mlax, mlax::MlaxDialect)

void mlirMlaxRegisterAllDialects(MlirContext context) {
  mlir::DialectRegistry registry;
  mlax::registerMlaxDialects(registry);
  unwrap(context)->appendDialectRegistry(registry);
  unwrap(context)->loadAllAvailableDialects();
}

void mlirMlaxRegisterAllPasses(void) {
  mlir::registerTransformsPasses();
  mlir::registerLinalgPasses();
  mlax::registerMlaxPasses();
}

void mlirMlaxBatchedResults(MlirOperation func, const bool *batched,
                            intptr_t numArgs, MlirStringRef axisName,
                            bool *out) {
  auto f = llvm::cast<mlir::func::FuncOp>(unwrap(func));
  auto flags = mlax::batchedResults(f, llvm::ArrayRef<bool>(batched, numArgs),
                                    unwrap(axisName));
  llvm::copy(flags, out);
}
