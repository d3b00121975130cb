//===- VjpRules.h - reverse-mode derivative rules, one per op ---*- C++ -*-===//

#ifndef MLAX_PASSES_AUTODIFF_VJPRULES_H
#define MLAX_PASSES_AUTODIFF_VJPRULES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

namespace mlax {

/// Builds the cotangents of `op`'s operands from those of its results
/// (`resultCts`; a null Value is a symbolic zero). Writes one entry per
/// operand into `operandCts`, null where the operand gets no cotangent
/// (inactive: integer, boolean, or a zero contribution). Fails, with a
/// diagnostic on `op`, when the op has no rule.
mlir::LogicalResult buildVjp(mlir::Operation *op,
                             llvm::ArrayRef<mlir::Value> resultCts,
                             llvm::SmallVectorImpl<mlir::Value> &operandCts,
                             mlir::OpBuilder &b);

/// Float tensors carry derivatives; integer and boolean ones are inactive.
bool isDifferentiableType(mlir::Type type);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_VJPRULES_H
