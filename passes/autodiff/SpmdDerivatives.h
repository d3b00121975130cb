//===- SpmdDerivatives.h - derivatives of collectives and shard_map -*- C++
//-*-===//

#ifndef MLAX_PASSES_AUTODIFF_SPMDDERIVATIVES_H
#define MLAX_PASSES_AUTODIFF_SPMDDERIVATIVES_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/IR/Builders.h"

namespace mlax {

/// psum(sum), all_gather, psum_scatter, all_to_all, ppermute.
bool isLinearCollective(mlir::Operation *op);

/// The transpose of the linear collective `op` applied to the cotangent
/// `ct` of its result (null when `op` has none: pmax, pmin).
mlir::Value transposeCollective(mlir::Operation *op, mlir::Value ct,
                                mlir::OpBuilder &b);

mlir::LogicalResult shardMapJvp(ShardMapOp op,
                                llvm::ArrayRef<mlir::Value> tangents,
                                llvm::SmallVectorImpl<mlir::Value> &out,
                                mlir::OpBuilder &b);

mlir::LogicalResult shardMapVjp(ShardMapOp op,
                                llvm::ArrayRef<mlir::Value> resultCts,
                                llvm::SmallVectorImpl<mlir::Value> &operandCts,
                                mlir::OpBuilder &b,
                                llvm::function_ref<bool(mlir::Value)> isVaried);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_SPMDDERIVATIVES_H
