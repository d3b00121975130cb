//===- MlaxFuseElementwise.cpp - mlax-fuse-elementwise --------------------===//
//
// linalg's elementwise producer-consumer fusion (what linalg-fuse-elementwise
// -ops does), except where it would put a multiply of transformed inputs
// inside a reduction. Such contraction-like generics (sin(a) * b summed, a
// producer folded into a dot_general's generic) are what IREE 3.13 with
// data tiling takes for plain contractions, dropping the producer's op:
// silently wrong results.
//
// Algorithm, per function:
//   1. Collect linalg's elementwise fusion patterns (plus the reshape
//      folding, canonicalisation and constant folding the upstream pass
//      runs), with one control function: fuse a producer that has one use,
//      unless the consumer has reduction loops or feeds an op that has
//      them (IREE fuses those itself) and either body multiplies: that is
//      the contraction-like generic IREE gets wrong.
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

/// A multiply in the op's body (a named linalg op counts as one).
bool multiplies(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic)
    return isa<linalg::LinalgOp>(op);
  return generic.getBody()
      ->walk([](Operation *inner) {
        return isa<arith::MulFOp, arith::MulIOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Fuses a single-use producer, except where the fused op would multiply
/// inside a reduction: into a consumer with reduction loops, or into one
/// feeding such an op (IREE fuses those two itself), when either body
/// multiplies. Reductions of other elementwise work (softmax's exp(x - m)
/// summed) still fuse.
bool fusible(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  Operation *consumer = fused->getOwner();
  if (!producer || !producer->hasOneUse())
    return false;
  bool nearReduction = hasReductionLoops(consumer) ||
                       llvm::any_of(consumer->getUsers(), hasReductionLoops);
  return !nearReduction || (!multiplies(producer) && !multiplies(consumer));
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
