//===- MlaxNativeVectorize.cpp - mlax-native-vectorize
//---------------------===//
//
// Algorithm:
//   1. Collect the function's linalg ops with static iteration spaces.
//   2. For each, pick tile sizes that divide every loop range: for a
//      contraction (a reduction loop and >= 2 parallel loops) the last two
//      parallel loops get 8 and 32 and the innermost reduction 16, outer
//      loops 1; otherwise every loop gets 1 but the innermost, 16 (for a
//      reduction op, the innermost reduction loop and innermost parallel
//      loop get 16 when they are innermost). "Divide" means the largest
//      divisor not above the target, so tiles are static: no masks.
//   3. With min-parallel-work, an op of that many iterations first has its
//      outermost parallel loop of two or more tiles tiled as scf.forall
//      (threads, later). Tile the rest with scf.for (TilingInterface), then
//      vectorize the tiled op; an op the vectorizer refuses keeps its tiled
//      scalar form.
//
//===----------------------------------------------------------------------===//

#include "passes/native/NativePasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXNATIVEVECTORIZE
#include "passes/native/NativePasses.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

int64_t largestDivisorAtMost(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

SmallVector<int64_t> pickTileSizes(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iters = op.getIteratorTypesArray();
  SmallVector<int64_t> tiles(ranges.size(), 1);
  SmallVector<unsigned> parallel, reduction;
  for (auto [i, it] : llvm::enumerate(iters))
    (it == utils::IteratorType::parallel ? parallel : reduction).push_back(i);
  bool contraction = !reduction.empty() && parallel.size() >= 2 &&
                     linalg::isaContractionOpInterface(op);
  if (contraction) {
    unsigned m = parallel[parallel.size() - 2], n = parallel.back();
    tiles[m] = largestDivisorAtMost(ranges[m], 8);
    tiles[n] = largestDivisorAtMost(ranges[n], 32);
    unsigned k = reduction.back();
    tiles[k] = largestDivisorAtMost(ranges[k], 16);
    return tiles;
  }
  if (!ranges.empty()) {
    unsigned inner = ranges.size() - 1;
    tiles[inner] = largestDivisorAtMost(ranges[inner], 16);
    // A reduction over the innermost loop: its parallel neighbour is
    // vectorized too, so the reduction runs on vectors of rows.
    if (iters[inner] == utils::IteratorType::reduction && !parallel.empty()) {
      unsigned p = parallel.back();
      tiles[p] = largestDivisorAtMost(ranges[p], 8);
    }
  }
  return tiles;
}

/// Static loops on tensors (bool tensors are i8 by now:
/// mlax-native-widen-bools runs first).
bool isCandidate(linalg::LinalgOp op) {
  for (int64_t r : op.getStaticLoopRanges())
    if (ShapedType::isDynamic(r))
      return false;
  return op.hasPureTensorSemantics();
}

/// The loop to run on threads: the outermost parallel loop cut into two or
/// more tiles, for an op with at least `minWork` iterations; -1 for none.
int pickParallelDim(linalg::LinalgOp op, ArrayRef<int64_t> tiles,
                    int64_t minWork) {
  if (minWork <= 0)
    return -1;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t work = 1;
  for (int64_t r : ranges)
    work *= r;
  if (work < minWork)
    return -1;
  for (auto [i, it] : llvm::enumerate(op.getIteratorTypesArray()))
    if (it == utils::IteratorType::parallel && ranges[i] / tiles[i] >= 2)
      return i;
  return -1;
}

/// Tiles `op` (sizes 0: untiled) with loops of `type`; the tiled op, or
/// null when tiling fails.
Operation *tile(IRRewriter &rewriter, Operation *op, ArrayRef<int64_t> sizes,
                scf::SCFTilingOptions::LoopType type) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setLoopType(type);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled) || tiled->tiledOps.size() != 1)
    return nullptr;
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.front();
}

struct MlaxNativeVectorizePass
    : mlax::impl::MlaxNativeVectorizeBase<MlaxNativeVectorizePass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isCandidate(op))
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      SmallVector<int64_t> tiles = pickTileSizes(op);
      Operation *target = op.getOperation();
      int parallelDim = pickParallelDim(op, tiles, minParallelWork);
      // A tile as large as its loop needs no loop (size 0: untiled).
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      for (auto [t, r] : llvm::zip(tiles, ranges))
        if (t == r)
          t = 0;
      bool needsTiling = llvm::any_of(tiles, [](int64_t t) { return t != 0; });
      if (parallelDim >= 0) {
        // The parallel loop first (scf.forall), then the rest inside it.
        SmallVector<int64_t> outer(tiles.size(), 0);
        outer[parallelDim] = tiles[parallelDim];
        Operation *inner = tile(rewriter, target, outer,
                                scf::SCFTilingOptions::LoopType::ForallOp);
        if (!inner)
          continue;
        target = inner;
        tiles[parallelDim] = 0;
        needsTiling = llvm::any_of(tiles, [](int64_t t) { return t != 0; });
      }
      if (needsTiling) {
        Operation *inner = tile(rewriter, target, tiles,
                                scf::SCFTilingOptions::LoopType::ForOp);
        if (!inner)
          continue;
        target = inner;
      }
      if (!linalg::hasVectorizationImpl(target))
        continue;
      rewriter.setInsertionPoint(target);
      // Contractions become vector.contract (lowered to FMAs on register
      // tiles), not a broadcast product and a multi_reduction.
      bool contraction =
          linalg::isaContractionOpInterface(cast<linalg::LinalgOp>(target));
      FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
          rewriter, target, /*inputVectorSizes=*/{},
          /*inputScalableVecDims=*/{}, /*vectorizeNDExtract=*/false,
          /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/contraction);
      if (failed(vectorized))
        continue;
      if (target->getNumResults())
        rewriter.replaceOp(target, vectorized->replacements);
      else
        rewriter.eraseOp(target);
    }
  }
};

} // namespace
