//===- ControlFlowDerivatives.h - derivatives of cond/while/scan -*- C++
//-*-===//

#ifndef MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H
#define MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
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
/// Marks the forward scan scanVjp builds to recompute the carries; its
/// value is the primal scan's body.
inline constexpr llvm::StringLiteral kRecomputesAttr = "mlax.recomputes";
/// Marks the scan scanJvp builds: [primal body, #tangent carries,
/// #tangent xs, #tangent consts].
inline constexpr llvm::StringLiteral kJvpOfAttr = "mlax.jvp_of";
/// In a finished JVP or VJP function, lets each marked scan (the JVP scan,
/// or the VJP's forward scan that stacks the carries) replace the primal
/// scan whose results it also computes: the forward loop runs once.
void mergeRecomputedScans(mlir::func::FuncOp func);
mlir::LogicalResult scanVjp(ScanOp op, llvm::ArrayRef<mlir::Value> resultCts,
                            llvm::SmallVectorImpl<mlir::Value> &operandCts,
                            mlir::OpBuilder &b,
                            llvm::function_ref<bool(mlir::Value)> isVaried);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_CONTROLFLOWDERIVATIVES_H
