//===- BatchRules.h - the batching rules of mlax-batch ----------*- C++ -*-===//
//
// A value under batching is its batched Value plus the dimension that
// indexes the examples (-1: the value is the same for every example and is
// not batched). batchOp() holds one rule per op (BatchRules.cpp); the pass
// (MlaxBatch.cpp) walks a function and calls it for every op with a batched
// operand.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_BATCHING_BATCHRULES_H
#define MLAX_PASSES_BATCHING_BATCHRULES_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <functional>

namespace mlax {

struct Batched {
  mlir::Value value;
  int64_t dim = -1;
  bool isBatched() const { return dim >= 0; }
};

/// What the rules need from the pass.
struct BatchContext {
  mlir::OpBuilder &b;
  int64_t size;
  /// vmap's axis_name (empty: none): collectives over it reduce over the
  /// batch dimension (SpmdBatchRules.cpp).
  llvm::StringRef axisName;
  /// The batched version of `callee` with arguments batched at `inAxes` and
  /// results at `outAxes` (-1: not batched).
  std::function<mlir::FailureOr<mlir::func::FuncOp>(
      mlir::func::FuncOp callee, llvm::ArrayRef<int64_t> inAxes,
      llvm::ArrayRef<int64_t> outAxes, mlir::Location loc)>
      batchCallee;

  /// `x` with its batch dimension at `to`: transposed if it is elsewhere,
  /// broadcast if `x` is not batched.
  mlir::Value materialize(Batched x, int64_t to, mlir::Location loc);
};

/// Which results of `func` depend on its arguments flagged in `batched`
/// (an op with a dependent operand has dependent results; calls are
/// followed into their callees). With `axisName`, a collective over that
/// axis (vmap's axis_name) depends on the batch whatever its operands.
llvm::SmallVector<bool> batchedResults(mlir::func::FuncOp func,
                                       llvm::ArrayRef<bool> batched,
                                       llvm::StringRef axisName = {});

/// psum, all_gather, psum_scatter, all_to_all, ppermute, axis_index.
bool isCollective(mlir::Operation *op);

/// Whether `op` is a collective over `axis`, or calls (or shard_maps) a
/// function that reaches one.
bool usesAxis(mlir::Operation *op, llvm::StringRef axis);

/// The rules of SpmdBatchRules.cpp.
mlir::LogicalResult batchCollective(mlir::Operation *op,
                                    llvm::ArrayRef<Batched> operands,
                                    llvm::SmallVectorImpl<Batched> &results,
                                    BatchContext &ctx);
mlir::LogicalResult batchShardingConstraint(
    ShardingConstraintOp op, llvm::ArrayRef<Batched> operands,
    llvm::SmallVectorImpl<Batched> &results, BatchContext &ctx);
mlir::LogicalResult batchShardMap(ShardMapOp op,
                                  llvm::ArrayRef<Batched> operands,
                                  llvm::SmallVectorImpl<Batched> &results,
                                  BatchContext &ctx);

/// The rules of ControlFlowBatchRules.cpp.
mlir::LogicalResult batchCond(CondOp op, llvm::ArrayRef<Batched> operands,
                              llvm::SmallVectorImpl<Batched> &results,
                              BatchContext &ctx);
mlir::LogicalResult batchWhile(WhileOp op, llvm::ArrayRef<Batched> operands,
                               llvm::SmallVectorImpl<Batched> &results,
                               BatchContext &ctx);
mlir::LogicalResult batchScan(ScanOp op, llvm::ArrayRef<Batched> operands,
                              llvm::SmallVectorImpl<Batched> &results,
                              BatchContext &ctx);

/// The rules of IndexingBatchRules.cpp.
mlir::LogicalResult batchSort(SortOp op, llvm::ArrayRef<Batched> operands,
                              llvm::SmallVectorImpl<Batched> &results,
                              BatchContext &ctx);
mlir::LogicalResult batchTopK(TopKOp op, llvm::ArrayRef<Batched> operands,
                              llvm::SmallVectorImpl<Batched> &results,
                              BatchContext &ctx);
mlir::LogicalResult batchGather(GatherOp op, llvm::ArrayRef<Batched> operands,
                                llvm::SmallVectorImpl<Batched> &results,
                                BatchContext &ctx);
mlir::LogicalResult batchScatter(ScatterOp op, llvm::ArrayRef<Batched> operands,
                                 llvm::SmallVectorImpl<Batched> &results,
                                 BatchContext &ctx);

/// The rule of CallbackBatchRules.cpp.
mlir::LogicalResult batchHostCallback(HostCallbackOp op,
                                      llvm::ArrayRef<Batched> operands,
                                      llvm::SmallVectorImpl<Batched> &results,
                                      BatchContext &ctx);

/// Builds the batched form of `op` from its batched operands; writes one
/// entry per result. Fails, with a diagnostic on `op`, when there is no
/// rule. Only called when at least one operand is batched.
mlir::LogicalResult batchOp(mlir::Operation *op,
                            llvm::ArrayRef<Batched> operands,
                            llvm::SmallVectorImpl<Batched> &results,
                            BatchContext &ctx);

} // namespace mlax

#endif // MLAX_PASSES_BATCHING_BATCHRULES_H
