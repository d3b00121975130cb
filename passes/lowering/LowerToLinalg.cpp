//===- LowerToLinalg.cpp - mlax-lower-to-linalg ---------------------------===//
//
// Algorithm:
//   1. Convert types: unsigned integer element types become signless
//      (function signatures, returns and calls included).
//   2. Apply one conversion pattern per mlax op (LowerToLinalgElementwise.cpp
//      and LowerToLinalgStructural.cpp). Elementwise ops become a single
//      linalg.generic each, with a scalar body picked by element type and
//      signedness, so IREE fuses whole chains into one dispatch.
//   3. Fail with a diagnostic on any mlax op left over.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/Passes.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/IR/Matchers.h"

#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXLOWERTOLINALG
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

SignlessTypeConverter::SignlessTypeConverter() {
  addConversion([](Type type) { return type; });
  addConversion([](IntegerType type) -> Type {
    if (type.isUnsigned())
      return IntegerType::get(type.getContext(), type.getWidth());
    return type;
  });
  addConversion([this](RankedTensorType type) -> Type {
    return type.clone(convertType(type.getElementType()));
  });
}

Value mlax::scalarConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  if (auto complexType = dyn_cast<ComplexType>(type)) {
    auto part = cast<FloatType>(complexType.getElementType());
    return complex::ConstantOp::create(
        b, loc, complexType,
        b.getArrayAttr(
            {b.getFloatAttr(part, value), b.getFloatAttr(part, 0.0)}));
  }
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value mlax::buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps;
  for (Value input : inputs) {
    bool scalar = cast<RankedTensorType>(input.getType()).getRank() == 0;
    maps.push_back(scalar && rank != 0
                       ? AffineMap::get(rank, 0, {}, b.getContext())
                       : identity);
  }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value mlax::reshapeTensor(OpBuilder &b, Location loc, Value v,
                          ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  auto target = type.clone(shape);
  if (target.getRank() < type.getRank()) {
    if (auto reassoc = getReassociationIndicesForReshape(type, target))
      return tensor::CollapseShapeOp::create(b, loc, target, v, *reassoc);
  } else if (target.getRank() > type.getRank()) {
    if (auto reassoc = getReassociationIndicesForReshape(type, target))
      return tensor::ExpandShapeOp::create(b, loc, target, v, *reassoc);
  }
  // General case: through a 1-d tensor.
  auto flatType = type.clone({type.getNumElements()});
  Value flat = v;
  if (type.getRank() == 0) {
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, v,
                                         ArrayRef<ReassociationIndices>{});
  } else if (type.getRank() > 1) {
    ReassociationIndices all =
        llvm::to_vector<2>(llvm::seq<int64_t>(0, type.getRank()));
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, v,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 1)
    return flat;
  ReassociationIndices all =
      llvm::to_vector<2>(llvm::seq<int64_t>(0, target.getRank()));
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

namespace {

/// The float constant `v` is, if any (directly or broadcast).
DenseElementsAttr floatConstant(Value v, BroadcastInDimOp &broadcast) {
  broadcast = v.getDefiningOp<BroadcastInDimOp>();
  if (broadcast)
    v = broadcast.getOperand();
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return {};
  return attr;
}

/// x / c -> x * (1 / c) for a float constant c, as XLA's algebraic
/// simplifier does: JAX's jitted programs divide by constants this way, so
/// mlax computes the same numbers (1/c is rounded once, in c's type).
void divideByConstantAsMultiply(ModuleOp module) {
  SmallVector<DivOp> divides;
  module.walk([&](DivOp op) { divides.push_back(op); });
  for (DivOp op : divides) {
    BroadcastInDimOp broadcast;
    DenseElementsAttr c = floatConstant(op.getRhs(), broadcast);
    if (!c || matchPattern(op.getLhs(), m_Constant()))
      continue;
    auto inverse = c.mapValues(c.getElementType(), [](const APFloat &v) {
      APFloat one(v.getSemantics(), 1);
      one.divide(v, APFloat::rmNearestTiesToEven);
      return one.bitcastToAPInt();
    });
    OpBuilder b(op);
    Value rhs = ConstantOp::create(b, op.getLoc(), inverse);
    if (broadcast)
      rhs = BroadcastInDimOp::create(b, op.getLoc(), broadcast.getType(), rhs,
                                     broadcast.getBroadcastDimensions());
    op.replaceAllUsesWith(
        MulOp::create(b, op.getLoc(), op.getLhs(), rhs).getResult());
    op.erase();
  }
}

/// transpose(threefry2x32(a, b, c, d)) for both results, with one
/// permutation -> threefry2x32 of the transposed operands. IREE 3.13's
/// transpose propagation breaks a two-result generic whose results are each
/// transposed ("expected number of yield values (2) to match the number of
/// inits"), and vmap with out_axes builds exactly that; with the
/// transposes on the (elementwise) operands there is nothing to break.
void transposeThreefryOperands(ModuleOp module) {
  SmallVector<Threefry2x32Op> ops;
  module.walk([&](Threefry2x32Op op) { ops.push_back(op); });
  for (Threefry2x32Op op : ops) {
    std::optional<SmallVector<int64_t>> perm;
    bool allTransposed = !op->use_empty();
    for (Operation *user : op->getUsers()) {
      auto t = dyn_cast<TransposeOp>(user);
      if (!t || (perm && ArrayRef<int64_t>(*perm) != t.getPermutation())) {
        allTransposed = false;
        break;
      }
      perm = SmallVector<int64_t>(t.getPermutation());
    }
    if (!allTransposed)
      continue;
    OpBuilder b(op);
    auto resultType = cast<TransposeOp>(*op->getUsers().begin()).getType();
    SmallVector<Value> operands;
    for (Value v : op->getOperands())
      operands.push_back(TransposeOp::create(
          b, op.getLoc(), cast<RankedTensorType>(resultType), v, *perm));
    auto moved = Threefry2x32Op::create(
        b, op.getLoc(), TypeRange{resultType, resultType}, operands);
    for (auto [i, r] : llvm::enumerate(op->getResults()))
      for (Operation *user : llvm::make_early_inc_range(r.getUsers())) {
        user->getResult(0).replaceAllUsesWith(moved->getResult(i));
        user->erase();
      }
    op.erase();
  }
}

/// With keep-scatter, a scatter, top_k or cumulative op on unsigned integers
/// is rebuilt on signless ones so it can stay for the second run: the same
/// bits for replace/add/mul and cumsum/cumprod; min/max/top_k/cummax/cummin
/// compare with the sign
/// bit flipped (the unsigned order as a signed one); unsigned indices widen
/// to i64.
template <typename OpT> struct SignlessKeptOp : OpConversionPattern<OpT> {
  SignlessKeptOp(TypeConverter &converter, MLIRContext *context)
      : OpConversionPattern<OpT>(converter, context, /*benefit=*/2) {}

  static Value flipSign(OpBuilder &b, Location loc, Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    unsigned width = type.getElementTypeBitWidth();
    auto attr = DenseElementsAttr::get(
        type,
        IntegerAttr::get(type.getElementType(), APInt::getSignMask(width)));
    Value mask = ConstantOp::create(b, loc, type, attr);
    return XorOp::create(b, loc, type, v, mask);
  }

  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (this->getTypeConverter()->isLegal(op.getOperation()))
      return failure();
    Location loc = op.getLoc();
    if constexpr (llvm::is_one_of<OpT, CumsumOp, CumprodOp, CummaxOp,
                                  CumminOp>::value) {
      // Wrapping addition and product: the same bits signed or unsigned;
      // max/min compare with the sign bit flipped.
      constexpr bool compares = llvm::is_one_of<OpT, CummaxOp, CumminOp>::value;
      bool flip =
          compares &&
          op.getOperand().getType().getElementType().isUnsignedInteger();
      Value operand = adaptor.getOperand();
      if (flip)
        operand = flipSign(rewriter, loc, operand);
      Value scanned = OpT::create(rewriter, loc, operand.getType(), operand,
                                  op.getAxis(), op.getReverse());
      rewriter.replaceOp(op, flip ? flipSign(rewriter, loc, scanned) : scanned);
      return success();
    } else if constexpr (std::is_same_v<OpT, TopKOp>) {
      Type element = op.getOperand().getType().getElementType();
      if (!element.isUnsignedInteger())
        return failure();
      Value keys = flipSign(rewriter, loc, adaptor.getOperand());
      auto valuesType = cast<RankedTensorType>(keys.getType())
                            .clone(op.getValues().getType().getShape());
      auto topK = TopKOp::create(rewriter, loc, valuesType,
                                 op.getIndices().getType(), keys, op.getK());
      rewriter.replaceOp(
          op, {flipSign(rewriter, loc, topK.getValues()), topK.getIndices()});
      return success();
    } else {
      bool compares =
          op.getKind() == ScatterKind::min || op.getKind() == ScatterKind::max;
      bool flip =
          compares &&
          op.getOperand().getType().getElementType().isUnsignedInteger();
      Value operand = adaptor.getOperand(), updates = adaptor.getUpdates();
      if (flip) {
        operand = flipSign(rewriter, loc, operand);
        updates = flipSign(rewriter, loc, updates);
      }
      Value indices = adaptor.getIndices();
      auto indicesType = op.getIndices().getType();
      if (indicesType.getElementType().isUnsignedInteger())
        indices = ConvertOp::create(rewriter, loc,
                                    indicesType.clone(rewriter.getI64Type()),
                                    op.getIndices());
      Value scattered = ScatterOp::create(rewriter, loc, operand.getType(),
                                          op.getKind(), operand, indices,
                                          updates, op.getDims(), op.getMode());
      rewriter.replaceOp(op,
                         flip ? flipSign(rewriter, loc, scattered) : scattered);
      return success();
    }
  }
};

struct MlaxLowerToLinalg
    : public mlax::impl::MlaxLowerToLinalgBase<MlaxLowerToLinalg> {
  using MlaxLowerToLinalgBase::MlaxLowerToLinalgBase;
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    WalkResult requests = getOperation().walk([](Operation *op) {
      if (!isa<VjpOp, JvpOp>(op))
        return WalkResult::advance();
      op->emitOpError("must be expanded by -mlax-autodiff before lowering");
      return WalkResult::interrupt();
    });
    if (requests.wasInterrupted())
      return signalPassFailure();
    divideByConstantAsMultiply(getOperation());
    transposeThreefryOperands(getOperation());
    SignlessTypeConverter converter;
    ConversionTarget target(*context);
    target.addIllegalDialect<MlaxDialect>();
    // Kept only while already signless: an unsigned one would need a cast
    // from its converted operands, so it lowers now.
    if (keepScatter)
      target.addDynamicallyLegalOp<ScatterOp, TopKOp, CumsumOp, CumprodOp,
                                   CummaxOp, CumminOp, CumlogsumexpOp>(
          [&](Operation *op) { return converter.isLegal(op); });
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           scf::SCFDialect, complex::ComplexDialect>();
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp, func::CallOp>(
        [&](Operation *op) { return converter.isLegal(op); });
    // What mlax.optimization_barrier lowers to (IREE's, built by name).
    target.addLegalOp(OperationName("util.optimization_barrier", context));
    // What mlax-lower-collectives builds for axis_index, and IREE's scatter
    // (LowerToLinalgIndexing.cpp).
    for (StringRef name : {"util.global", "util.global.load",
                           "util.global.store", "iree_linalg_ext.scatter",
                           "iree_linalg_ext.topk", "iree_linalg_ext.gather",
                           "iree_linalg_ext.scan", "iree_linalg_ext.yield"})
      target.addLegalOp(OperationName(name, context));

    RewritePatternSet patterns(context);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                   converter);
    populateReturnOpTypeConversionPattern(patterns, converter);
    populateCallOpTypeConversionPattern(patterns, converter);
    populateElementwiseLoweringPatterns(converter, patterns);
    populateStructuralLoweringPatterns(converter, patterns);
    populateRandomLoweringPatterns(converter, patterns);
    populateControlFlowLoweringPatterns(converter, patterns);
    populateIndexingLoweringPatterns(converter, patterns);
    populateSortLoweringPatterns(converter, patterns);
    populateCumulativeLoweringPatterns(converter, patterns);
    populateCallbackLoweringPatterns(converter, patterns);
    if (keepScatter)
      patterns.add<SignlessKeptOp<ScatterOp>, SignlessKeptOp<TopKOp>,
                   SignlessKeptOp<CumsumOp>, SignlessKeptOp<CumprodOp>,
                   SignlessKeptOp<CummaxOp>, SignlessKeptOp<CumminOp>>(
          converter, context);
    chooseScanUnroll(getOperation());
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns)))) {
      signalPassFailure();
      return;
    }
    unrollMarkedLoops(getOperation());
  }
};
} // namespace
