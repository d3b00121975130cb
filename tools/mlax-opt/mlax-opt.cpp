//===- mlax-opt.cpp - mlir-opt for the mlax dialect -----------------------===//
//
// Registers the mlax dialect, every mlax pass and the upstream dialects and
// passes they work with, then hands over to MlirOptMain.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/native/NativePasses.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlax::registerMlaxDialects(registry);
  registry.insert<mlir::bufferization::BufferizationDialect,
                  mlir::vector::VectorDialect, mlir::memref::MemRefDialect,
                  mlir::affine::AffineDialect>();
  mlir::linalg::registerTilingInterfaceExternalModels(registry);
  mlir::tensor::registerTilingInterfaceExternalModels(registry);
  mlir::registerTransformsPasses();
  mlir::registerLinalgPasses();
  mlax::registerMlaxPasses();
  mlax::registerMlaxNativePasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mlax optimizer driver\n", registry));
}
