//===- NativePasses.h - passes of the native path ---------------*- C++ -*-===//

#ifndef MLAX_NATIVE_PASSES_H
#define MLAX_NATIVE_PASSES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlax {

#define GEN_PASS_DECL
#include "passes/native/NativePasses.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/native/NativePasses.h.inc"

/// Retypes in place every function signature, op result and region
/// argument of `module` through `convert` (the ops that then mix types are
/// the caller's to repair).
void retypeInPlace(mlir::ModuleOp module,
                   llvm::function_ref<mlir::Type(mlir::Type)> convert);

} // namespace mlax

#endif // MLAX_NATIVE_PASSES_H
