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
//   2. Without fusing, apply the other patterns: splat constants fold into
//      the bodies while they are small (upstream folds one constant per
//      rewrite, re-creating the whole body each time).
//   3. Fuse producers into consumers directly, consumers in program order,
//      each absorbing its fusible producers (and merging the operands they
//      shared) until none is left. The greedy driver alone would re-queue
//      every op of every fused body after each fusion: quadratic in the
//      fused size (10 s for one hyp2f1).
//   4. Apply the patterns greedily until nothing changes (what reshape
//      folding newly makes fusible, dead operands, constants).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Complex/IR/Complex.h"
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
        return isa<arith::MulFOp, arith::MulIOp, complex::MulOp>(inner)
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
  // A producer that reads its init (dot_general's accumulate form, even
  // with no reduction loop) would accumulate again inside a consumer's
  // reduction loop once fused.
  if (auto generic = dyn_cast<linalg::GenericOp>(producer))
    if (hasReductionLoops(consumer) &&
        llvm::any_of(generic.getDpsInitsMutable(), [&](OpOperand &init) {
          return generic.payloadUsesValueFromOperand(&init);
        }))
      return false;
  bool nearReduction = hasReductionLoops(consumer) ||
                       llvm::any_of(consumer->getUsers(), hasReductionLoops);
  return !nearReduction || (!multiplies(producer) && !multiplies(consumer));
}

/// Fuses one fusible producer into `consumer`; the fused op, or null.
Operation *fuseOneProducer(RewriterBase &rewriter, linalg::GenericOp consumer) {
  for (OpOperand &operand : consumer->getOpOperands()) {
    if (!linalg::areElementwiseOpsFusable(&operand) || !fusible(&operand))
      continue;
    Operation *producer = operand.get().getDefiningOp();
    FailureOr<linalg::ElementwiseOpFusionResult> fused =
        linalg::fuseElementwiseOps(rewriter, &operand);
    if (failed(fused))
      continue;
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
        return use.getOwner() != producer;
      });
    rewriter.eraseOp(consumer);
    if (producer->use_empty())
      rewriter.eraseOp(producer);
    return fused->fusedOp;
  }
  return nullptr;
}

/// Remembers erased ops, so that the list of consumers never dangles.
struct ErasedOps : public RewriterBase::Listener {
  llvm::DenseSet<Operation *> erased;
  void notifyOperationErased(Operation *op) override { erased.insert(op); }
};

/// Step 3: consumers in program order, so each producer is already whole
/// when its consumer absorbs it.
void fuseProducersDirectly(Operation *root) {
  SmallVector<linalg::GenericOp> consumers;
  root->walk([&](linalg::GenericOp op) { consumers.push_back(op); });
  ErasedOps listener;
  IRRewriter rewriter(root->getContext(), &listener);
  auto &erased = listener.erased;
  for (linalg::GenericOp consumer : consumers) {
    if (erased.contains(consumer))
      continue;
    Operation *current = consumer;
    while (auto generic = dyn_cast<linalg::GenericOp>(current)) {
      rewriter.setInsertionPoint(generic);
      Operation *fusedOp = fuseOneProducer(rewriter, generic);
      if (!fusedOp) {
        // Absorbed producers may have shared an operand, now used twice.
        FailureOr<linalg::GenericOp> deduplicated =
            linalg::deduplicateOperandsAndRemoveDeadResults(rewriter, generic,
                                                            false);
        if (failed(deduplicated) || *deduplicated == generic)
          break;
        fusedOp = *deduplicated;
      }
      current = fusedOp;
    }
  }
}

/// The upstream pass's patterns, fusing where `control` allows.
FrozenRewritePatternSet fusionPatterns(MLIRContext *ctx,
                                       const linalg::ControlFusionFn &control) {
  RewritePatternSet patterns(ctx);
  linalg::populateElementwiseOpsFusionPatterns(patterns, control);
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
  tensor::populateBubbleUpExpandShapePatterns(patterns);
  affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
  linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
  ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(
      patterns);
  linalg::populateConstantFoldLinalgOperations(patterns, control);
  return FrozenRewritePatternSet(std::move(patterns));
}

struct MlaxFuseElementwise
    : public mlax::impl::MlaxFuseElementwiseBase<MlaxFuseElementwise> {
  LogicalResult initialize(MLIRContext *ctx) override {
    withoutFusion = fusionPatterns(ctx, [](OpOperand *) { return false; });
    withFusion = fusionPatterns(ctx, fusible);
    return success();
  }

  void runOnOperation() override {
    Operation *root = getOperation();
    if (failed(applyPatternsGreedily(root, withoutFusion)))
      return signalPassFailure();
    fuseProducersDirectly(root);
    if (failed(applyPatternsGreedily(root, withFusion)))
      signalPassFailure();
  }

  FrozenRewritePatternSet withoutFusion, withFusion;
};

} // namespace
