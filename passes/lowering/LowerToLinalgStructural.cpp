//===- LowerToLinalgStructural.cpp - shape ops, reductions, dot_general ---===//
//
// One conversion pattern per op. Broadcasts and gathers are linalg.generic
// (projected-permutation maps only, so IREE fuses them with their
// consumers); slices and concatenation are tensor ops; reductions are
// linalg.reduce; dot_general is linalg.matmul / batch_matmul when it is
// one, else a contraction linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/Passes.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;
using namespace mlax;

// Complex values: ops that write into a destination tensor (pad,
// dynamic_update_slice) run on the real and imaginary parts and recombine.
// IREE 3.13 crashes on a tensor.pad of complex values, and mishandles a
// complex splat (fill or constant) used as an insert_slice destination
// ("stream.yield used resource not listed", or an invalid scalar
// arith.constant of complex type).

namespace {

RankedTensorType convertedType(const TypeConverter *converter, Type type) {
  return cast<RankedTensorType>(converter->convertType(type));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value scalar) {
  return linalg::FillOp::create(b, loc, scalar, emptyTensor(b, loc, type))
      .getResult(0);
}

Value extractScalar(OpBuilder &b, Location loc, Value zeroD) {
  return tensor::ExtractOp::create(b, loc, zeroD, ValueRange{});
}

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!dense)
      return rewriter.notifyMatchFailure(op, "only dense constants lower");
    auto type = convertedType(getTypeConverter(), op.getType());
    if (type.getElementType() != dense.getElementType())
      dense = dense.bitcast(type.getElementType());
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, dense);
    return success();
  }
};

/// Size-1 operand dims that stretch are reshaped away first, so the
/// generic's input map is a projected permutation.
struct BroadcastInDimLowering : OpConversionPattern<BroadcastInDimOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BroadcastInDimOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(getTypeConverter(), op.getType());
    auto operandType = op.getOperand().getType();
    SmallVector<int64_t> keptShape;
    SmallVector<AffineExpr> exprs;
    for (auto [i, d] : llvm::enumerate(op.getBroadcastDimensions())) {
      if (operandType.getDimSize(i) == 1 && resultType.getDimSize(d) != 1)
        continue;
      keptShape.push_back(operandType.getDimSize(i));
      exprs.push_back(rewriter.getAffineDimExpr(d));
    }
    Value input = reshapeTensor(rewriter, loc, adaptor.getOperand(), keptShape);
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{input},
        ValueRange{emptyTensor(rewriter, loc, resultType)}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// stop_gradient only matters to mlax-autodiff: it lowers to its operand.
struct StopGradientLowering : OpConversionPattern<StopGradientOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(StopGradientOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getOperand());
    return success();
  }
};

/// IREE's util.optimization_barrier, one per value (built by name: the util
/// dialect is IREE's, so the context must allow unregistered dialects).
struct OptimizationBarrierLowering
    : OpConversionPattern<OptimizationBarrierOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OptimizationBarrierOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (!op->getContext()->allowsUnregisteredDialects())
      return rewriter.notifyMatchFailure(
          op, "lowering mlax.optimization_barrier to IREE's "
              "util.optimization_barrier needs unregistered dialects allowed "
              "(mlax-opt --allow-unregistered-dialect)");
    SmallVector<Type> types;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(), types)))
      return failure();
    // One per value: IREE 3.13's verifier rejects a barrier whose values
    // differ in type.
    SmallVector<Value> results;
    for (auto [value, type] : llvm::zip(adaptor.getOperands(), types)) {
      OperationState state(op.getLoc(), "util.optimization_barrier");
      state.addOperands(value);
      state.addTypes(type);
      results.push_back(rewriter.create(state)->getResult(0));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(),
                                         adaptor.getOperand(),
                                         op.getType().getShape()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(getTypeConverter(), op.getType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getOperand(),
        emptyTensor(rewriter, op.getLoc(), resultType), op.getPermutation());
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};

/// rev: a generic that gathers with tensor.extract at mirrored indices.
struct RevLowering : OpConversionPattern<RevOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RevOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(getTypeConverter(), op.getType());
    Value source = adaptor.getOperand();
    ArrayRef<int64_t> reversed = op.getDimensions();
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location loc, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < resultType.getRank(); ++d) {
            Value i = linalg::IndexOp::create(b, loc, d);
            if (llvm::is_contained(reversed, d)) {
              Value last = arith::ConstantIndexOp::create(
                  b, loc, resultType.getDimSize(d) - 1);
              i = arith::SubIOp::create(b, loc, last, i);
            }
            indices.push_back(i);
          }
          return tensor::ExtractOp::create(b, loc, source, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ConcatenateLowering : OpConversionPattern<ConcatenateOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatenateOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (adaptor.getInputs().size() == 1) {
      rewriter.replaceOp(op, adaptor.getInputs()[0]);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, op.getDimension(),
                                                  adaptor.getInputs());
    return success();
  }
};

/// pad: fill with the padding value, then insert the in-range part of the
/// operand with stride interior + 1 (negative edges drop elements). Without
/// interior padding it is a tensor.pad of that part instead: IREE 3.13
/// mis-folds a fill + insert_slice whose source is a reshaped fill +
/// insert_slice ("expected 2 offset values, got 1"; the gradient of
/// `a[0][0:2]`), and tensor.pad is what its own StableHLO input emits.
struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  // A complex pad becomes two real pads.
  void initialize() { setHasBoundedRewriteRecursion(); }
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(getTypeConverter(), op.getType());
    auto operandType = op.getOperand().getType();
    if (isa<ComplexType>(resultType.getElementType())) {
      Emit e{rewriter, loc};
      rewriter.replaceOp(op, e.onParts([&](auto part) -> Value {
        Value operand = part(adaptor.getOperand());
        return PadOp::create(
            rewriter, loc, e.type(operand).clone(op.getType().getShape()),
            operand, part(adaptor.getPaddingValue()), op.getEdgePaddingLow(),
            op.getEdgePaddingHigh(), op.getInteriorPadding());
      }));
      return success();
    }
    Value padding = extractScalar(rewriter, loc, adaptor.getPaddingValue());
    if (succeeded(
            lowerWithoutInterior(op, adaptor, resultType, padding, rewriter)))
      return success();
    Value filled = filledTensor(rewriter, loc, resultType, padding);
    SmallVector<int64_t> srcOffsets, srcSizes, dstOffsets, dstStrides;
    bool empty = false;
    for (int64_t d = 0; d < operandType.getRank(); ++d) {
      int64_t low = op.getEdgePaddingLow()[d];
      int64_t step = op.getInteriorPadding()[d] + 1;
      int64_t size = operandType.getDimSize(d), out = resultType.getDimSize(d);
      // Operand index i lands at low + i * step; keep those in [0, out).
      int64_t first = low >= 0 ? 0 : llvm::divideCeil(-low, step);
      int64_t last =
          std::min(size - 1, llvm::divideFloorSigned(out - 1 - low, step));
      if (last < first) {
        empty = true;
        break;
      }
      srcOffsets.push_back(first);
      srcSizes.push_back(last - first + 1);
      dstOffsets.push_back(low + first * step);
      dstStrides.push_back(step);
    }
    if (empty || operandType.getNumElements() == 0) {
      rewriter.replaceOp(op, filled);
      return success();
    }
    SmallVector<int64_t> ones(operandType.getRank(), 1);
    Value part = tensor::ExtractSliceOp::create(
        rewriter, loc, adaptor.getOperand(),
        getAsIndexOpFoldResult(rewriter.getContext(), srcOffsets),
        getAsIndexOpFoldResult(rewriter.getContext(), srcSizes),
        getAsIndexOpFoldResult(rewriter.getContext(), ones));
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, part, filled,
        getAsIndexOpFoldResult(rewriter.getContext(), dstOffsets),
        getAsIndexOpFoldResult(rewriter.getContext(), srcSizes),
        getAsIndexOpFoldResult(rewriter.getContext(), dstStrides));
    return success();
  }

  /// extract_slice of the kept part (negative edges), then tensor.pad.
  static LogicalResult
  lowerWithoutInterior(PadOp op, OpAdaptor adaptor, RankedTensorType resultType,
                       Value padding, ConversionPatternRewriter &rewriter) {
    auto operandType = op.getOperand().getType();
    if (llvm::any_of(op.getInteriorPadding(), [](int64_t i) { return i != 0; }))
      return failure();
    int64_t rank = operandType.getRank();
    SmallVector<int64_t> offsets, sizes, low, high;
    bool trimmed = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = op.getEdgePaddingLow()[d], hi = op.getEdgePaddingHigh()[d];
      int64_t size = operandType.getDimSize(d);
      int64_t first = std::max<int64_t>(-lo, 0);
      int64_t kept = size - first - std::max<int64_t>(-hi, 0);
      if (kept <= 0)
        return failure(); // nothing of the operand survives: the fill path
      trimmed |= kept != size;
      offsets.push_back(first);
      sizes.push_back(kept);
      low.push_back(std::max<int64_t>(lo, 0));
      high.push_back(std::max<int64_t>(hi, 0));
    }
    if (operandType.getNumElements() == 0)
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value part = adaptor.getOperand();
    if (trimmed) {
      SmallVector<int64_t> ones(rank, 1);
      part = tensor::ExtractSliceOp::create(
          rewriter, loc, part, getAsIndexOpFoldResult(ctx, offsets),
          getAsIndexOpFoldResult(ctx, sizes),
          getAsIndexOpFoldResult(ctx, ones));
    }
    if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
        llvm::all_of(high, [](int64_t v) { return v == 0; })) {
      rewriter.replaceOp(op, part);
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::PadOp>(
        op, resultType, part, getAsIndexOpFoldResult(ctx, low),
        getAsIndexOpFoldResult(ctx, high), padding);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(getTypeConverter(), op.getType());
    MLIRContext *ctx = rewriter.getContext();
    // An empty slice may start at the end of a dimension, which
    // extract_slice rejects as out of bounds.
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, op.getLoc(), resultType));
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getOperand(),
        getAsIndexOpFoldResult(ctx, op.getStartIndices()),
        getAsIndexOpFoldResult(ctx, resultType.getShape()),
        getAsIndexOpFoldResult(ctx, op.getStrides()));
    return success();
  }
};

/// Start indices clamped to [0, dim - size], as lax defines them.
/// `originalStarts` (the unconverted operands) carry the signedness.
SmallVector<OpFoldResult> clampedOffsets(OpBuilder &b, Location loc,
                                         ValueRange starts,
                                         ValueRange originalStarts,
                                         ArrayRef<int64_t> dims,
                                         ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> offsets;
  for (auto [start, original, dim, size] :
       llvm::zip(starts, originalStarts, dims, sizes)) {
    bool isUnsigned = getElementTypeOrSelf(original).isUnsignedInteger();
    Value i64 = toI64(b, loc, extractScalar(b, loc, start), isUnsigned);
    Value hi = arith::ConstantIntOp::create(b, loc, b.getI64Type(), dim - size);
    Value clamped = clampI64(b, loc, i64, hi, isUnsigned);
    offsets.push_back(
        arith::IndexCastOp::create(b, loc, b.getIndexType(), clamped)
            .getResult());
  }
  return offsets;
}

struct DynamicSliceLowering : OpConversionPattern<DynamicSliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DynamicSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = convertedType(getTypeConverter(), op.getType());
    MLIRContext *ctx = rewriter.getContext();
    if (resultType.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, op.getLoc(), resultType));
      return success();
    }
    SmallVector<int64_t> ones(resultType.getRank(), 1);
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getOperand(),
        clampedOffsets(rewriter, op.getLoc(), adaptor.getStartIndices(),
                       op.getStartIndices(),
                       op.getOperand().getType().getShape(),
                       op.getSliceSizes()),
        getAsIndexOpFoldResult(ctx, op.getSliceSizes()),
        getAsIndexOpFoldResult(ctx, ones));
    return success();
  }
};

struct DynamicUpdateSliceLowering : OpConversionPattern<DynamicUpdateSliceOp> {
  using OpConversionPattern::OpConversionPattern;
  // A complex update becomes two real ones.
  void initialize() { setHasBoundedRewriteRecursion(); }
  LogicalResult
  matchAndRewrite(DynamicUpdateSliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> sizes = op.getUpdate().getType().getShape();
    if (isa<ComplexType>(op.getType().getElementType())) {
      // See the note at the top: complex values write part by part.
      Emit e{rewriter, op.getLoc()};
      rewriter.replaceOp(op, e.onParts([&](auto part) -> Value {
        Value operand = part(adaptor.getOperand());
        return DynamicUpdateSliceOp::create(
            rewriter, op.getLoc(), e.type(operand), operand,
            part(adaptor.getUpdate()), adaptor.getStartIndices());
      }));
      return success();
    }
    if (op.getUpdate().getType().getNumElements() == 0) {
      rewriter.replaceOp(op, adaptor.getOperand());
      return success();
    }
    SmallVector<int64_t> ones(sizes.size(), 1);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, adaptor.getUpdate(), adaptor.getOperand(),
        clampedOffsets(rewriter, op.getLoc(), adaptor.getStartIndices(),
                       op.getStartIndices(),
                       op.getOperand().getType().getShape(), sizes),
        getAsIndexOpFoldResult(ctx, sizes), getAsIndexOpFoldResult(ctx, ones));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The identity of `combiner` for mlax element type `t` (as a signless
/// constant).

template <typename OpTy, Combiner kCombiner>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = convertedType(this->getTypeConverter(), op.getType());
    Type t = op.getType().getElementType();
    Value init = filledTensor(rewriter, loc, resultType,
                              reductionIdentity(rewriter, loc, kCombiner, t,
                                                resultType.getElementType()));
    // Nothing to reduce: the result is the identity (IREE's tiling divides
    // by the reduced size, so zero-size reductions must not reach it).
    if (op.getOperand().getType().getNumElements() == 0) {
      rewriter.replaceOp(op, init);
      return success();
    }
    SmallVector<int64_t> axes(op.getAxes());
    llvm::sort(axes);
    auto body = [&](OpBuilder &b, Location l, ValueRange args) {
      linalg::YieldOp::create(b, l,
                              combine(b, l, kCombiner, t, args[0], args[1]));
    };
    Value input = adaptor.getOperand();
    auto inputType = cast<RankedTensorType>(input.getType());
    // A full reduction of rank >= 2 goes in two steps (all but the last
    // dim, then the last): IREE 3.13 turns sum(x * broadcast(v)) to 0-d into
    // a vector.contract it cannot lower ("invalid accumulator/result vector
    // shape").
    if (resultType.getRank() == 0 && inputType.getRank() >= 2) {
      int64_t last = inputType.getRank() - 1;
      auto partialType = RankedTensorType::get({inputType.getDimSize(last)},
                                               resultType.getElementType());
      Value partialInit =
          filledTensor(rewriter, loc, partialType,
                       reductionIdentity(rewriter, loc, kCombiner, t,
                                         resultType.getElementType()));
      SmallVector<int64_t> leading =
          llvm::to_vector(llvm::seq<int64_t>(0, last));
      input = linalg::ReduceOp::create(rewriter, loc, ValueRange{input},
                                       ValueRange{partialInit}, leading, body)
                  .getResult(0);
      axes = {0};
    }
    auto reduce = linalg::ReduceOp::create(rewriter, loc, ValueRange{input},
                                           ValueRange{init}, axes, body);
    rewriter.replaceOp(op, reduce.getResult(0));
    return success();
  }
};

/// argmax/argmin: a two-output reduction generic (value, index). Ties and
/// NaNs are resolved by a total order (NaN wins, then the smaller index),
/// so the answer does not depend on the reduction order IREE picks.
template <typename OpTy, bool kIsMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto operandType =
        convertedType(this->getTypeConverter(), op.getOperand().getType());
    auto indexType = op.getType();
    Type t = op.getOperand().getType().getElementType();
    Type st = operandType.getElementType();
    auto valueType = RankedTensorType::get(indexType.getShape(), st);
    Value valueInit = filledTensor(
        rewriter, loc, valueType,
        reductionIdentity(rewriter, loc, kIsMax ? Combiner::Max : Combiner::Min,
                          t, st));
    int64_t rank = operandType.getRank(), axis = op.getAxis();
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        outExprs.push_back(rewriter.getAffineDimExpr(d));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, rewriter.getContext());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   outMap, outMap};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    // Two single-result reductions (IREE 3.13's transpose propagation
    // miscompiles a two-result argmax generic followed by a transpose):
    // 1. the extreme value, NaN winning; 2. the first index holding it.
    bool f = isa<FloatType>(t), u = t.isUnsignedInteger();
    SmallVector<utils::IteratorType> valueIterators = iterators;
    auto extreme = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType}, ValueRange{adaptor.getOperand()},
        ValueRange{valueInit}, SmallVector<AffineMap>{maps[0], outMap},
        valueIterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], cur = args[1], r;
          if (f)
            r = kIsMax ? (Value)arith::MaximumFOp::create(b, l, x, cur)
                       : (Value)arith::MinimumFOp::create(b, l, x, cur);
          else if (kIsMax)
            r = u ? (Value)arith::MaxUIOp::create(b, l, x, cur)
                  : (Value)arith::MaxSIOp::create(b, l, x, cur);
          else
            r = u ? (Value)arith::MinUIOp::create(b, l, x, cur)
                  : (Value)arith::MinSIOp::create(b, l, x, cur);
          linalg::YieldOp::create(b, l, ValueRange{r});
        });
    Type it = indexType.getElementType();
    Value none = filledTensor(
        rewriter, loc, indexType,
        arith::ConstantOp::create(
            rewriter, loc,
            rewriter.getIntegerAttr(
                it, APInt::getSignedMaxValue(it.getIntOrFloatBitWidth()))));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{indexType},
        ValueRange{adaptor.getOperand(), extreme.getResult(0)},
        ValueRange{none}, SmallVector<AffineMap>{maps[0], outMap, outMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], m = args[1], curIdx = args[2];
          Value idx = arith::IndexCastOp::create(
              b, l, curIdx.getType(), linalg::IndexOp::create(b, l, axis));
          Value hit;
          if (f) {
            hit = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, m);
            Value bothNan = arith::AndIOp::create(
                b, l,
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x),
                arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, m, m));
            hit = arith::OrIOp::create(b, l, hit, bothNan);
          } else {
            hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, m);
          }
          Value candidate = arith::SelectOp::create(b, l, hit, idx, curIdx);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::MinSIOp::create(b, l, candidate, curIdx)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// dot_general
//===----------------------------------------------------------------------===//

struct DotGeneralLowering : OpConversionPattern<DotGeneralOp> {
  using OpConversionPattern::OpConversionPattern;
  // A complex contraction becomes four real ones.
  void initialize() { setHasBoundedRewriteRecursion(); }

  /// (a + ib)(c + id) = (ac - bd) + i(ad + bc), each product a real
  /// dot_general: IREE's tuned real matmuls are 8x faster than a generic
  /// of complex.mul/add (512^2: 246 -> ~30 ms).
  LogicalResult splitComplex(DotGeneralOp op, OpAdaptor adaptor,
                             ConversionPatternRewriter &rewriter) const {
    Emit e{rewriter, op.getLoc()};
    Value a = e.real(adaptor.getLhs()), b = e.imag(adaptor.getLhs());
    Value c = e.real(adaptor.getRhs()), d = e.imag(adaptor.getRhs());
    auto partType = op.getType().clone(e.type(a).getElementType());
    auto dot = [&](Value x, Value y) -> Value {
      return DotGeneralOp::create(
          rewriter, op.getLoc(), partType, x, y, op.getLhsBatchingDimensions(),
          op.getRhsBatchingDimensions(), op.getLhsContractingDimensions(),
          op.getRhsContractingDimensions());
    };
    Value re = e.sub(dot(a, c), dot(b, d));
    Value im = e.add(dot(a, d), dot(b, c));
    rewriter.replaceOp(op, e.complex(re, im));
    return success();
  }

  LogicalResult
  matchAndRewrite(DotGeneralOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (isa<ComplexType>(op.getType().getElementType()))
      return splitComplex(op, adaptor, rewriter);
    Location loc = op.getLoc();
    auto resultType = convertedType(getTypeConverter(), op.getType());
    auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
    Type inElem = lhsType.getElementType(),
         outElem = op.getType().getElementType();
    Value init = filledTensor(
        rewriter, loc, resultType,
        scalarConstant(rewriter, loc, resultType.getElementType(), 0));
    ArrayRef<int64_t> lb = op.getLhsBatchingDimensions(),
                      rb = op.getRhsBatchingDimensions(),
                      lc = op.getLhsContractingDimensions(),
                      rc = op.getRhsContractingDimensions();
    bool sameTypes = inElem == outElem && isa<FloatType>(inElem);
    // The shapes IREE has tuned kernels for.
    if (sameTypes && lb.empty() && lhsType.getRank() == 2 &&
        rhsType.getRank() == 2 && lc == ArrayRef<int64_t>{1} &&
        rc == ArrayRef<int64_t>{0}) {
      rewriter.replaceOp(op, linalg::MatmulOp::create(
                                 rewriter, loc, resultType,
                                 ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                                 ValueRange{init})
                                 .getResult(0));
      return success();
    }
    if (sameTypes && lhsType.getRank() == 3 && rhsType.getRank() == 3 &&
        lb == ArrayRef<int64_t>{0} && rb == ArrayRef<int64_t>{0} &&
        lc == ArrayRef<int64_t>{2} && rc == ArrayRef<int64_t>{1}) {
      rewriter.replaceOp(op, linalg::BatchMatmulOp::create(
                                 rewriter, loc, resultType,
                                 ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                                 ValueRange{init})
                                 .getResult(0));
      return success();
    }
    // General contraction: loops are (batch, lhs free, rhs free, contract).
    int64_t nb = lb.size(), nc = lc.size();
    int64_t nlf = lhsType.getRank() - nb - nc,
            nrf = rhsType.getRank() - nb - nc;
    int64_t nLoops = nb + nlf + nrf + nc;
    auto operandMap = [&](RankedTensorType type, ArrayRef<int64_t> batch,
                          ArrayRef<int64_t> contract, int64_t freeStart) {
      SmallVector<AffineExpr> exprs;
      int64_t free = freeStart;
      for (int64_t d = 0; d < type.getRank(); ++d) {
        auto *b = llvm::find(batch, d);
        auto *c = llvm::find(contract, d);
        if (b != batch.end())
          exprs.push_back(rewriter.getAffineDimExpr(b - batch.begin()));
        else if (c != contract.end())
          exprs.push_back(rewriter.getAffineDimExpr(nb + nlf + nrf +
                                                    (c - contract.begin())));
        else
          exprs.push_back(rewriter.getAffineDimExpr(free++));
      }
      return AffineMap::get(nLoops, 0, exprs, rewriter.getContext());
    };
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < nb + nlf + nrf; ++d)
      outExprs.push_back(rewriter.getAffineDimExpr(d));
    SmallVector<AffineMap> maps = {
        operandMap(lhsType, lb, lc, nb), operandMap(rhsType, rb, rc, nb + nlf),
        AffineMap::get(nLoops, 0, outExprs, rewriter.getContext())};
    SmallVector<utils::IteratorType> iterators(nLoops,
                                               utils::IteratorType::parallel);
    for (int64_t i = nb + nlf + nrf; i < nLoops; ++i)
      iterators[i] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType},
        ValueRange{adaptor.getLhs(), adaptor.getRhs()}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = convertScalar(b, l, args[0], inElem, outElem);
          Value y = convertScalar(b, l, args[1], inElem, outElem);
          if (isa<ComplexType>(outElem)) {
            Value product = complex::MulOp::create(b, l, x, y);
            Value sum = complex::AddOp::create(b, l, args[2], product);
            linalg::YieldOp::create(b, l, sum);
            return;
          }
          Value product = isa<FloatType>(outElem)
                              ? (Value)arith::MulFOp::create(b, l, x, y)
                              : (Value)arith::MulIOp::create(b, l, x, y);
          Value sum =
              isa<FloatType>(outElem)
                  ? (Value)arith::AddFOp::create(b, l, args[2], product)
                  : (Value)arith::AddIOp::create(b, l, args[2], product);
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

Value mlax::toI64(OpBuilder &b, Location loc, Value v, bool isUnsigned) {
  if (v.getType().getIntOrFloatBitWidth() == 64)
    return v;
  if (isUnsigned)
    return arith::ExtUIOp::create(b, loc, b.getI64Type(), v);
  return arith::ExtSIOp::create(b, loc, b.getI64Type(), v);
}

Value mlax::clampI64(OpBuilder &b, Location loc, Value v, Value hi,
                     bool isUnsigned) {
  if (isUnsigned)
    return arith::MinUIOp::create(b, loc, v, hi);
  Value lo = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
  return arith::MinSIOp::create(b, loc, arith::MaxSIOp::create(b, loc, v, lo),
                                hi);
}

Value mlax::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value mlax::reductionIdentity(OpBuilder &b, Location loc, Combiner combiner,
                              Type t, Type signless) {
  // Complex values only sum and multiply (their verifiers).
  if (isa<ComplexType>(t))
    return scalarConstant(b, loc, t, combiner == Combiner::Prod ? 1 : 0);
  if (auto ft = dyn_cast<FloatType>(t)) {
    const llvm::fltSemantics &sem = ft.getFloatSemantics();
    switch (combiner) {
    case Combiner::Max:
      return arith::ConstantOp::create(
          b, loc, b.getFloatAttr(ft, APFloat::getInf(sem, /*Negative=*/true)));
    case Combiner::Min:
      return arith::ConstantOp::create(
          b, loc, b.getFloatAttr(ft, APFloat::getInf(sem, false)));
    case Combiner::Prod:
      return scalarConstant(b, loc, ft, 1);
    default:
      return scalarConstant(b, loc, ft, 0);
    }
  }
  unsigned width = t.getIntOrFloatBitWidth();
  bool u = t.isUnsignedInteger() || t.isInteger(1);
  APInt value;
  switch (combiner) {
  case Combiner::Sum:
  case Combiner::Or:
    value = APInt::getZero(width);
    break;
  case Combiner::Prod:
    value = APInt(width, 1);
    break;
  case Combiner::And:
    value = APInt::getAllOnes(width);
    break;
  case Combiner::Max:
    value = u ? APInt::getZero(width) : APInt::getSignedMinValue(width);
    break;
  case Combiner::Min:
    value = u ? APInt::getAllOnes(width) : APInt::getSignedMaxValue(width);
    break;
  }
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(signless, value));
}

Value mlax::combine(OpBuilder &b, Location loc, Combiner combiner, Type t,
                    Value x, Value y) {
  if (isa<ComplexType>(t))
    return combiner == Combiner::Prod
               ? (Value)complex::MulOp::create(b, loc, x, y)
               : (Value)complex::AddOp::create(b, loc, x, y);
  bool f = isa<FloatType>(t);
  bool u = t.isUnsignedInteger();
  bool boolean = t.isInteger(1);
  switch (combiner) {
  case Combiner::Sum:
    if (boolean)
      return arith::OrIOp::create(b, loc, x, y);
    return f ? (Value)arith::AddFOp::create(b, loc, x, y)
             : (Value)arith::AddIOp::create(b, loc, x, y);
  case Combiner::Prod:
    if (boolean)
      return arith::AndIOp::create(b, loc, x, y);
    return f ? (Value)arith::MulFOp::create(b, loc, x, y)
             : (Value)arith::MulIOp::create(b, loc, x, y);
  case Combiner::Max:
    if (f)
      return arith::MaximumFOp::create(b, loc, x, y);
    return (u || boolean) ? (Value)arith::MaxUIOp::create(b, loc, x, y)
                          : (Value)arith::MaxSIOp::create(b, loc, x, y);
  case Combiner::Min:
    if (f)
      return arith::MinimumFOp::create(b, loc, x, y);
    return (u || boolean) ? (Value)arith::MinUIOp::create(b, loc, x, y)
                          : (Value)arith::MinSIOp::create(b, loc, x, y);
  case Combiner::And:
    return arith::AndIOp::create(b, loc, x, y);
  case Combiner::Or:
    return arith::OrIOp::create(b, loc, x, y);
  }
  llvm_unreachable("unknown combiner");
}

void mlax::populateStructuralLoweringPatterns(TypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, BroadcastInDimLowering, ReshapeLowering,
               StopGradientLowering, OptimizationBarrierLowering,
               TransposeLowering, RevLowering, ConcatenateLowering, PadLowering,
               SliceLowering, DynamicSliceLowering, DynamicUpdateSliceLowering,
               ReduceLowering<ReduceSumOp, Combiner::Sum>,
               ReduceLowering<ReduceProdOp, Combiner::Prod>,
               ReduceLowering<ReduceMaxOp, Combiner::Max>,
               ReduceLowering<ReduceMinOp, Combiner::Min>,
               ReduceLowering<ReduceAndOp, Combiner::And>,
               ReduceLowering<ReduceOrOp, Combiner::Or>,
               ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>, DotGeneralLowering>(
      converter, patterns.getContext());
}
