//===- ControlFlowDerivatives.h - derivatives of cond/while/scan -*- C++
//-*-===//

#ifndef MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H
#define MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/IR/Builders.h"

namespace mlax {

mlir::LogicalResult condJvp(CondOp op, llvm::ArrayRef<mlir::Value> tangents,
                            llvm::SmallVectorImpl<mlir::Value> &out,
                            mlir::OpBuilder &b);
mlir::LogicalResult condVjp(CondOp op, llvm::ArrayRef<mlir::Value> resultCts,
                            llvm::SmallVectorImpl<mlir::Value> &operandCts,
                            mlir::OpBuilder &b,
                            llvm::function_ref<bool(mlir::Value)> isVaried);
mlir::LogicalResult whileJvp(WhileOp op, llvm::ArrayRef<mlir::Value> tangents,
                             llvm::SmallVectorImpl<mlir::Value> &out,
                             mlir::OpBuilder &b);
/// Always fails: JAX's diagnosis (the trip count is dynamic).
mlir::LogicalResult whileVjp(WhileOp op);
mlir::LogicalResult scanJvp(ScanOp op, llvm::ArrayRef<mlir::Value> tangents,
                            llvm::SmallVectorImpl<mlir::Value> &out,
                            mlir::OpBuilder &b);
mlir::LogicalResult scanVjp(ScanOp op, llvm::ArrayRef<mlir::Value> resultCts,
                            llvm::SmallVectorImpl<mlir::Value> &operandCts,
                            mlir::OpBuilder &b,
                            llvm::function_ref<bool(mlir::Value)> isVaried);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H
