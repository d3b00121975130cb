//===- ShardingRules.h - one sharding rule per mlax op ----------*- C++ -*-===//
//
// A rule, as in Shardy, groups the dimensions of an op's operands and
// results into factors: dimensions in one factor are indexed together, so
// sharding the factor over some mesh axes shards each of them the same
// way. dot_general (b, m, k) x (b, k, n) -> (b, m, n) has factors b, m, k,
// n; k appears in no result, so sharding it leaves each device a partial
// sum, which `reduction` combines (a psum). A factor that must not be
// sharded (a sliced, padded, reversed or concatenated dimension, an
// iota's counting dimension, a reshaped dimension that is split or
// merged) is marked `replicate`; the partitioner gathers it.
//
// shardingRule() is the table (ShardingRules.cpp). Propagation
// (mlax-sharding-propagation) and partitioning (mlax-spmd-partition) both
// read it, so an op's sharding behaviour lives in one place.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_SPMD_SHARDINGRULES_H
#define MLAX_PASSES_SPMD_SHARDINGRULES_H

#include "dialects/mlax/MlaxDialect.h"
#include "dialects/mlax/MlaxSharding.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>

namespace mlax {

struct ShardingRule {
  llvm::SmallVector<int64_t> factorSizes;
  llvm::SmallVector<bool> replicate;
  /// For each operand / result, each dimension's factor (-1: none; the
  /// dimension is not split).
  llvm::SmallVector<llvm::SmallVector<int64_t>> operands, results;
  /// How partial results over a factor that no result has are combined
  /// (none: such factors are replicated).
  std::optional<Reduction> reduction;

  int64_t addFactor(int64_t size, bool mustReplicate = false) {
    factorSizes.push_back(size);
    replicate.push_back(mustReplicate);
    return factorSizes.size() - 1;
  }
  /// Whether factor `f` is absent from every result.
  bool isReductionFactor(int64_t f) const;

  /// Factor shardings: one list of mesh axes per factor.
  using FactorAxes = llvm::SmallVector<DimSharding>;
  /// Picks each factor's axes from the shardings given (results first,
  /// then operands, in order; null entries are unknown). An axis goes to
  /// the first factor that asks for it; factors marked `replicate`, and
  /// reduction factors without a `reduction`, get none; a factor whose size
  /// its axes do not divide gets none.
  FactorAxes resolve(llvm::ArrayRef<const Sharding *> operandShardings,
                     llvm::ArrayRef<const Sharding *> resultShardings,
                     const Mesh &mesh) const;
  Sharding project(llvm::ArrayRef<int64_t> dims,
                   const FactorAxes &factors) const;
};

/// The rule of `op`, or none when the op has no rule (the partitioner then
/// replicates its operands and results).
std::optional<ShardingRule> shardingRule(mlir::Operation *op);

/// mlax-sharding-propagation on one function with a mesh: its arguments,
/// results and split values get `mlax.sharding` (MlaxShardingPropagation.cpp;
/// the partitioner calls it on the bodies of control-flow ops).
mlir::LogicalResult propagateShardings(mlir::func::FuncOp func,
                                       const Mesh &mesh);

} // namespace mlax

#endif // MLAX_PASSES_SPMD_SHARDINGRULES_H
