//===- VjpRules.h - the derivative rules (reverse and forward mode) -*- C++
//-*-===//

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
/// `isVaried` says which values depend on the differentiated arguments (a
/// checkpointed call requests derivatives for those operands only).
mlir::LogicalResult buildVjp(mlir::Operation *op,
                             llvm::ArrayRef<mlir::Value> resultCts,
                             llvm::SmallVectorImpl<mlir::Value> &operandCts,
                             mlir::OpBuilder &b,
                             llvm::function_ref<bool(mlir::Value)> isVaried);

/// Builds the tangents of `op`'s results from those of its operands
/// (`operandTangents`; null = symbolic zero). Writes one entry per result
/// (null where the result's tangent is zero). Fails, with a diagnostic on
/// `op`, when the op has no rule.
mlir::LogicalResult buildJvp(mlir::Operation *op,
                             llvm::ArrayRef<mlir::Value> operandTangents,
                             llvm::SmallVectorImpl<mlir::Value> &resultTangents,
                             mlir::OpBuilder &b);

/// Float tensors carry derivatives; integer and boolean ones are inactive.
bool isDifferentiableType(mlir::Type type);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_VJPRULES_H
