//===- LowerToLinalgCumulative.cpp - cumsum, cumprod, cummax, ... --------===//
//
// cumsum, cumprod, cummax, cummin and cumlogsumexp lower alike, differing
// only in the combiner (add, mul, max, min, logaddexp) and its identity:
//   IREE path -> IREE's iree_linalg_ext.scan (a sequential loop per
//            row, rows in parallel, the combiner its region), bandwidth-bound:
//            1. reverse if asked, move the axis last, collapse to [M, n];
//            2. many rows (M >= 64) or short rows: one inclusive scan along
//               the last dimension;
//            3. few long rows: B blocks of L (L dividing n near 4096 when
//               there is one, else n padded to 4096s), scan each block
//               ([M, B, L] along L; the accumulator gives the block totals),
//               exclusive-scan the totals ([M, B] along B, from the
//               identity), combine each block's offset in; slice the
//               padding off;
//            4. expand, move the axis back, reverse back.
//   elsewhere -> a log-step scan (Hillis-Steele): pass s combines in the
//            element 2^s before (after, when reversed); O(n log n) work,
//            pure linalg.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlax;

namespace {

enum class ScanCombiner { Sum, Prod, Max, Min, LogAddExp };

/// The scalar combiner of a cumulative op; `isUnsigned` picks the unsigned
/// order for max/min (the converted operands are signless).
struct Combine {
  ScanCombiner kind;
  bool isUnsigned;

  Value operator()(OpBuilder &b, Location l, Value x, Value y) const {
    bool isFloat = isa<FloatType>(x.getType());
    switch (kind) {
    case ScanCombiner::Sum:
      return isFloat ? (Value)arith::AddFOp::create(b, l, x, y)
                     : (Value)arith::AddIOp::create(b, l, x, y);
    case ScanCombiner::Prod:
      return isFloat ? (Value)arith::MulFOp::create(b, l, x, y)
                     : (Value)arith::MulIOp::create(b, l, x, y);
    case ScanCombiner::Max:
      if (isFloat)
        return arith::MaximumFOp::create(b, l, x, y);
      return isUnsigned ? (Value)arith::MaxUIOp::create(b, l, x, y)
                        : (Value)arith::MaxSIOp::create(b, l, x, y);
    case ScanCombiner::Min:
      if (isFloat)
        return arith::MinimumFOp::create(b, l, x, y);
      return isUnsigned ? (Value)arith::MinUIOp::create(b, l, x, y)
                        : (Value)arith::MinSIOp::create(b, l, x, y);
    case ScanCombiner::LogAddExp: {
      // hi + log1p(exp(lo - hi)); an infinite (or NaN) hi is the result,
      // so -inf with -inf stays -inf instead of -inf - -inf.
      Value hi = arith::MaximumFOp::create(b, l, x, y);
      Value lo = arith::MinimumFOp::create(b, l, x, y);
      Value sum = arith::AddFOp::create(
          b, l, hi,
          math::Log1pOp::create(
              b, l,
              math::ExpOp::create(b, l, arith::SubFOp::create(b, l, lo, hi))));
      Value inf = arith::ConstantOp::create(
          b, l,
          b.getFloatAttr(
              x.getType(),
              APFloat::getInf(
                  cast<FloatType>(x.getType()).getFloatSemantics())));
      Value finite = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT,
                                           math::AbsFOp::create(b, l, hi), inf);
      return arith::SelectOp::create(b, l, finite, sum, hi);
    }
    }
    llvm_unreachable("unknown combiner");
  }

  /// The combiner's identity (what an exclusive scan starts from).
  TypedAttr identity(Type type) const {
    if (auto f = dyn_cast<FloatType>(type)) {
      const llvm::fltSemantics &sem = f.getFloatSemantics();
      switch (kind) {
      case ScanCombiner::Sum:
        return FloatAttr::get(f, 0.0);
      case ScanCombiner::Prod:
        return FloatAttr::get(f, 1.0);
      case ScanCombiner::Max:
      case ScanCombiner::LogAddExp:
        return FloatAttr::get(f, APFloat::getInf(sem, /*Negative=*/true));
      case ScanCombiner::Min:
        return FloatAttr::get(f, APFloat::getInf(sem));
      }
    }
    unsigned width = type.getIntOrFloatBitWidth();
    switch (kind) {
    case ScanCombiner::Sum:
      return IntegerAttr::get(type, 0);
    case ScanCombiner::Prod:
      return IntegerAttr::get(type, 1);
    case ScanCombiner::Max:
      return IntegerAttr::get(type, isUnsigned
                                        ? APInt::getZero(width)
                                        : APInt::getSignedMinValue(width));
    case ScanCombiner::Min:
      return IntegerAttr::get(type, isUnsigned
                                        ? APInt::getMaxValue(width)
                                        : APInt::getSignedMaxValue(width));
    case ScanCombiner::LogAddExp:
      break;
    }
    llvm_unreachable("logaddexp of integers");
  }
};

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

Value filled(OpBuilder &b, Location loc, RankedTensorType type,
             TypedAttr value) {
  Value v = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, v, emptyTensor(b, loc, type))
      .getResult(0);
}

Value zeroFilled(OpBuilder &b, Location loc, RankedTensorType type) {
  return filled(b, loc, type,
                cast<TypedAttr>(b.getZeroAttr(type.getElementType())));
}

/// IREE's scan of `x` along `dim` (inclusive, or exclusive from the
/// identity); returns (scanned, totals of each scanned row).
std::pair<Value, Value> ireeScan(OpBuilder &b, Location loc, Value x,
                                 int64_t dim, bool inclusive,
                                 const Combine &combine) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> accShape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != dim)
      accShape.push_back(type.getDimSize(d));
  auto accType = type.clone(accShape);
  OperationState state(loc, "iree_linalg_ext.scan");
  state.addOperands(
      {x, emptyTensor(b, loc, type),
       filled(b, loc, accType, combine.identity(type.getElementType()))});
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
        {combine(b, loc, block->getArgument(0), block->getArgument(1))}, {},
        {});
  }
  Operation *scan = b.create(state);
  return {scan->getResult(0), scan->getResult(1)};
}

/// Inclusive running combinations along the last dimension of `x` [M, n].
Value scanRows(OpBuilder &b, Location loc, Value x, const Combine &combine) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t m = type.getDimSize(0), n = type.getDimSize(1);
  constexpr int64_t kBlock = 4096;
  if (m >= 64 || n < 2 * kBlock)
    return ireeScan(b, loc, x, 1, /*inclusive=*/true, combine).first;
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
  auto [partial, totals] =
      ireeScan(b, loc, tiled, 2, /*inclusive=*/true, combine);
  Value offsets =
      ireeScan(b, loc, totals, 1, /*inclusive=*/false, combine).first;
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
            linalg::YieldOp::create(g, l, combine(g, l, args[1], args[0]));
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

/// Hillis-Steele: log2(n) passes, each combining in the element `step`
/// before.
Value logStepScan(OpBuilder &b, Location loc, Value x, int64_t dim,
                  bool reverse, const Combine &combine) {
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
          // The earlier element first (it is `other` unless reversed).
          Value combined = reverse ? combine(g, l, args[0], other)
                                   : combine(g, l, other, args[0]);
          return arith::SelectOp::create(g, l, has, combined, args[0]);
        });
  }
  return x;
}

template <typename OpT, ScanCombiner kind>
struct CumulativeLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Combine combine{
        kind, op.getOperand().getType().getElementType().isUnsignedInteger()};
    Value x = adaptor.getOperand();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t dim = op.getAxis(), rank = type.getRank();
    bool reverse = op.getReverse();
    if (type.getNumElements() == 0 || type.getDimSize(dim) < 2) {
      rewriter.replaceOp(op, x);
      return success();
    }
    if (!op->getContext()->allowsUnregisteredDialects()) {
      rewriter.replaceOp(op,
                         logStepScan(rewriter, loc, x, dim, reverse, combine));
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
    Value scanned = scanRows(rewriter, loc, rows, combine);
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
  patterns.add<CumulativeLowering<CumsumOp, ScanCombiner::Sum>,
               CumulativeLowering<CumprodOp, ScanCombiner::Prod>,
               CumulativeLowering<CummaxOp, ScanCombiner::Max>,
               CumulativeLowering<CumminOp, ScanCombiner::Min>,
               CumulativeLowering<CumlogsumexpOp, ScanCombiner::LogAddExp>>(
      converter, patterns.getContext());
}
