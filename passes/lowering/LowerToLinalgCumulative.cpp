//===- LowerToLinalgCumulative.cpp - cumsum -------------------------------===//
//
//   cumsum, IREE path -> IREE's iree_linalg_ext.scan (a sequential loop per
//            row, rows in parallel), bandwidth-bound:
//            1. reverse if asked, move the axis last, collapse to [M, n];
//            2. many rows (M >= 64) or short rows: one inclusive scan along
//               the last dimension;
//            3. few long rows: B blocks of L (L dividing n near 4096 when
//               there is one, else n padded to 4096s), scan each block
//               ([M, B, L] along L; the accumulator gives the block totals),
//               exclusive-scan the totals ([M, B] along B), add each
//               block's offset; slice the padding off;
//            4. expand, move the axis back, reverse back.
//   cumsum, elsewhere -> a log-step scan (Hillis-Steele): pass s adds the
//            element 2^s before (after, when reversed); O(n log n) work,
//            pure linalg.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlax;

namespace {

Value addScalars(OpBuilder &b, Location l, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, l, x, y);
  return arith::AddIOp::create(b, l, x, y);
}

/// `v` read backwards along `dim`.
Value reverseDim(OpBuilder &b, Location loc, Value v, int64_t dim) {
  auto type = cast<RankedTensorType>(v.getType());
  int64_t n = type.getDimSize(dim);
  return buildElementwise(
      b, loc, type, ValueRange{}, [&](OpBuilder &g, Location l, ValueRange) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < type.getRank(); ++d)
          at.push_back(linalg::IndexOp::create(g, l, d));
        at[dim] = arith::SubIOp::create(
            g, l, arith::ConstantIndexOp::create(g, l, n - 1), at[dim]);
        return tensor::ExtractOp::create(g, l, v, at).getResult();
      });
}

Value transposeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  Value init = emptyTensor(b, loc, type.clone(shape));
  return linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return linalg::FillOp::create(b, loc, zero, emptyTensor(b, loc, type))
      .getResult(0);
}

/// IREE's scan of `x` along `dim` (inclusive or exclusive from 0); returns
/// (scanned, totals of each scanned row).
std::pair<Value, Value> ireeScan(OpBuilder &b, Location loc, Value x,
                                 int64_t dim, bool inclusive) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> accShape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != dim)
      accShape.push_back(type.getDimSize(d));
  auto accType = type.clone(accShape);
  OperationState state(loc, "iree_linalg_ext.scan");
  state.addOperands(
      {x, emptyTensor(b, loc, type), zeroFilled(b, loc, accType)});
  state.addTypes({type, accType});
  state.addAttribute("dimension", b.getI64IntegerAttr(dim));
  state.addAttribute("inclusive", b.getBoolAttr(inclusive));
  state.addAttribute("operandSegmentSizes", b.getDenseI32ArrayAttr({1, 2}));
  Region *region = state.addRegion();
  Block *block = new Block();
  region->push_back(block);
  Type scalar = type.getElementType();
  block->addArguments({scalar, scalar}, {loc, loc});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(block);
    createByName(
        b, loc, "iree_linalg_ext.yield",
        {addScalars(b, loc, block->getArgument(0), block->getArgument(1))}, {},
        {});
  }
  Operation *scan = b.create(state);
  return {scan->getResult(0), scan->getResult(1)};
}

/// Inclusive running sums along the last dimension of `x` [M, n].
Value scanRows(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  constexpr int64_t kBlock = 4096;
  if (m >= 64 || n < 2 * kBlock)
    return ireeScan(b, loc, x, 1, /*inclusive=*/true).first;
  // A block size dividing n near 4096 saves the padding's two copies.
  int64_t block = kBlock;
  for (int64_t delta = 0; delta <= kBlock; ++delta) {
    if (n % (kBlock + delta) == 0) {
      block = kBlock + delta;
      break;
    }
    if (delta < kBlock * 3 / 4 && n % (kBlock - delta) == 0) {
      block = kBlock - delta;
      break;
    }
  }
  int64_t blocks = (n + block - 1) / block, padded = blocks * block;
  Value in = x;
  if (padded != n) {
    SmallVector<OpFoldResult> zeros(2, b.getIndexAttr(0)),
        ones(2, b.getIndexAttr(1)),
        sizes = getAsIndexOpFoldResult(b.getContext(), type.getShape());
    in = tensor::InsertSliceOp::create(
        b, loc, x, zeroFilled(b, loc, type.clone({m, padded})), zeros, sizes,
        ones);
  }
  Value tiled = reshapeTensor(b, loc, in, {m, blocks, block});
  auto [partial, totals] = ireeScan(b, loc, tiled, 2, /*inclusive=*/true);
  Value offsets = ireeScan(b, loc, totals, 1, /*inclusive=*/false).first;
  auto tiledType = cast<RankedTensorType>(tiled.getType());
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(3),
      AffineMap::get(3, 0, {b.getAffineDimExpr(0), b.getAffineDimExpr(1)},
                     b.getContext()),
      b.getMultiDimIdentityMap(3)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  Value sums =
      linalg::GenericOp::create(
          b, loc, tiledType, ValueRange{partial, offsets},
          ValueRange{emptyTensor(b, loc, tiledType)}, maps, iterators,
          [&](OpBuilder &g, Location l, ValueRange args) {
            linalg::YieldOp::create(g, l, addScalars(g, l, args[0], args[1]));
          })
          .getResult(0);
  Value flat = reshapeTensor(b, loc, sums, {m, padded});
  if (padded == n)
    return flat;
  SmallVector<OpFoldResult> zeros(2, b.getIndexAttr(0)),
      ones(2, b.getIndexAttr(1)),
      sizes = getAsIndexOpFoldResult(b.getContext(), type.getShape());
  return tensor::ExtractSliceOp::create(b, loc, type, flat, zeros, sizes, ones);
}

/// Hillis-Steele: log2(n) passes, each adding the element `step` before.
Value logStepScan(OpBuilder &b, Location loc, Value x, int64_t dim,
                  bool reverse) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t n = type.getDimSize(dim);
  for (int64_t step = 1; step < n; step *= 2) {
    Value prev = x;
    x = buildElementwise(
        b, loc, type, ValueRange{prev},
        [&](OpBuilder &g, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < type.getRank(); ++d)
            at.push_back(linalg::IndexOp::create(g, l, d));
          Value i = at[dim];
          Value stepC = arith::ConstantIndexOp::create(g, l, step);
          Value has, from;
          if (reverse) {
            from = arith::AddIOp::create(g, l, i, stepC);
            has =
                arith::CmpIOp::create(g, l, arith::CmpIPredicate::slt, from,
                                      arith::ConstantIndexOp::create(g, l, n));
            from = arith::SelectOp::create(g, l, has, from, i);
          } else {
            has = arith::CmpIOp::create(g, l, arith::CmpIPredicate::sge, i,
                                        stepC);
            from = arith::SelectOp::create(
                g, l, has, arith::SubIOp::create(g, l, i, stepC), i);
          }
          at[dim] = from;
          Value other = tensor::ExtractOp::create(g, l, prev, at);
          Value zero = arith::ConstantOp::create(
              g, l, g.getZeroAttr(type.getElementType()));
          return addScalars(g, l, args[0],
                            arith::SelectOp::create(g, l, has, other, zero));
        });
  }
  return x;
}

struct CumsumLowering : OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getOperand();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t dim = op.getAxis(), rank = type.getRank();
    bool reverse = op.getReverse();
    if (type.getNumElements() == 0 || type.getDimSize(dim) < 2) {
      rewriter.replaceOp(op, x);
      return success();
    }
    if (!op->getContext()->allowsUnregisteredDialects()) {
      rewriter.replaceOp(op, logStepScan(rewriter, loc, x, dim, reverse));
      return success();
    }
    // 1. Reversed, the axis last, [M, n].
    if (reverse)
      x = reverseDim(rewriter, loc, x, dim);
    SmallVector<int64_t> perm, inverse(rank);
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim)
        perm.push_back(d);
    perm.push_back(dim);
    for (int64_t i = 0; i < rank; ++i)
      inverse[perm[i]] = i;
    bool moved = dim != rank - 1;
    if (moved)
      x = transposeTo(rewriter, loc, x, perm);
    auto movedType = cast<RankedTensorType>(x.getType());
    int64_t n = type.getDimSize(dim);
    Value rows =
        reshapeTensor(rewriter, loc, x, {type.getNumElements() / n, n});
    // 2-3. The scan.
    Value scanned = scanRows(rewriter, loc, rows);
    // 4. Back into place.
    Value out = reshapeTensor(rewriter, loc, scanned, movedType.getShape());
    if (moved)
      out = transposeTo(rewriter, loc, out, inverse);
    if (reverse)
      out = reverseDim(rewriter, loc, out, dim);
    rewriter.replaceOp(op, out);
    return success();
  }
};

} // namespace

void mlax::populateCumulativeLoweringPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<CumsumLowering>(converter, patterns.getContext());
}
