//===- Registration.cpp - dialects the mlax passes need -------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

void mlax::registerMlaxDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlax::MlaxDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::math::MathDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect>();
  mlir::func::registerInlinerExtension(registry);
}
