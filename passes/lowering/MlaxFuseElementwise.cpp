//===- MlaxFuseElementwise.cpp - mlax-fuse-elementwise --------------------===//
//
// linalg's elementwise producer-consumer fusion (what linalg-fuse-elementwise
// -ops does), except into a consumer that has reduction loops. Fusing an
// elementwise producer into a reduction makes contraction-like generics
// (sin(a) * b summed, or a producer folded into a dot_general's generic),
// and IREE 3.13 with data tiling treats such a generic as a plain
// contraction and drops the producer's op: silently wrong results. IREE
// still puts the producer and the reduction in one dispatch itself, so
// nothing is materialised in between.
//
// Algorithm, per function:
//   1. Collect linalg's elementwise fusion patterns (plus the reshape
//      folding, canonicalisation and constant folding the upstream pass
//      runs), with one control function: fuse a producer that has one use
//      into a consumer whose loops are all parallel and whose results feed
//      no op with reduction loops (IREE fuses such a consumer into the
//      reduction itself, which would make the same pattern).
//   2. Apply them greedily until nothing changes.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXFUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

bool hasReductionLoops(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

/// Fuses a single-use producer into a consumer that neither has reduction
/// loops nor feeds an op that has them (IREE would fuse the fused op into
/// that reduction, making the same contraction-like generic).
bool fusible(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  Operation *consumer = fused->getOwner();
  if (!producer || !producer->hasOneUse() || hasReductionLoops(consumer))
    return false;
  return llvm::none_of(consumer->getUsers(), hasReductionLoops);
}

struct MlaxFuseElementwise
    : public mlax::impl::MlaxFuseElementwiseBase<MlaxFuseElementwise> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fusible);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, fusible);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
        patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, fusible);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
