//===- mlax-opt.cpp - mlir-opt for the mlax dialect -----------------------===//
//
// Registers the mlax dialect, every mlax pass and the upstream dialects and
// passes they work with, then hands over to MlirOptMain.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlax::registerMlaxDialects(registry);
  registry.insert<mlir::bufferization::BufferizationDialect>();
  mlir::registerTransformsPasses();
  mlir::registerLinalgPasses();
  mlax::registerMlaxPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mlax optimizer driver\n", registry));
}
