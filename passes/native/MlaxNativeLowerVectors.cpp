//===- MlaxNativeLowerVectors.cpp - mlax-native-lower-vectors
//--------------===//
//
// Algorithm (on buffers, after bufferization):
//   0. memref.copy between strided views becomes linalg.copy (loops), so the
//      object needs no MLIR runtime library.
//   1. Hoist loop-invariant vector transfers out of scf.for loops, so a
//      contraction's accumulator tile stays in registers across the
//      reduction loop.
//   2. Apply, to a fixed point, the progressive lowerings that
//      convert-vector-to-llvm expects: vector.contract -> outer products ->
//      FMAs, multi_reduction (inner parallel), transpose, broadcast,
//      shape_cast, mask ops, and transfer permutation maps / transfers of
//      rank <= 1 -> vector.load/store; leading unit dimensions are dropped.
//
//===----------------------------------------------------------------------===//

#include "passes/native/NativePasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXNATIVELOWERVECTORS
#include "passes/native/NativePasses.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

struct MlaxNativeLowerVectorsPass
    : mlax::impl::MlaxNativeLowerVectorsBase<MlaxNativeLowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // A memref.copy of strided views lowers to a call of MLIR's runtime
    // library (memrefCopy); as a linalg.copy it becomes loops instead.
    IRRewriter rewriter(&getContext());
    func.walk([&](memref::CopyOp copy) {
      auto isIdentity = [](Value v) {
        return cast<MemRefType>(v.getType()).getLayout().isIdentity();
      };
      if (isIdentity(copy.getSource()) && isIdentity(copy.getTarget()))
        return;
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    });
    linalg::hoistRedundantVectorTransfers(func, /*verifyNonZeroTrip=*/true);

    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorStepLoweringPatterns(patterns);
    vector::populateVectorGatherLoweringPatterns(patterns);
    vector::populateVectorInterleaveLoweringPatterns(patterns);
    // 1 x ... x 1 x N blocks become 1-d vectors.
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
