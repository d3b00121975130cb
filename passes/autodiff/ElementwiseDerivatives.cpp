//===- ElementwiseDerivatives.cpp - dy/dx of the unary elementwise ops ----===//
//
// One row per op: the local derivative, written with the primal operand x
// and result y. VjpRules.cpp multiplies it into the cotangent, JvpRules.cpp
// into the tangent, so both modes share one definition.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/DerivativeUtils.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlax;

bool mlax::isDifferentiableType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType, ComplexType>(tensor.getElementType());
}

Value mlax::complexAbsFactor(Emit &e, Value x, Value y) {
  Value isZero = e.compare(ComparisonDirection::EQ, y, e.zerosLike(y));
  Value modulus = e.select(isZero, e.like(y, 1), y);
  return e.div(e.conj(x), e.complex(modulus, e.zerosLike(y)));
}

Value mlax::truncQuotient(Emit &e, Value a, Value b) {
  Value q = e.div(a, b);
  auto t = e.type(q);
  Value magnitude =
      FloorOp::create(e.b, e.loc, t, AbsOp::create(e.b, e.loc, t, q));
  return e.mul(SignOp::create(e.b, e.loc, t, q), magnitude);
}

SmallVector<int64_t> mlax::keptDims(RankedTensorType type,
                                    ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      kept.push_back(d);
  return kept;
}

ClampMasks mlax::clampMasks(Emit &e, Value lo, Value x, Value hi) {
  auto shape = e.type(x);
  auto full = [&](Value v) {
    return e.type(v).getRank() == 0 && shape.getRank() != 0
               ? e.broadcast(v, shape, {})
               : v;
  };
  lo = full(lo);
  hi = full(hi);
  auto both = [&](Value a, Value c) {
    return (Value)AndOp::create(e.b, e.loc, e.type(a), a, c);
  };
  ClampMasks m;
  m.operand = both(e.compare(ComparisonDirection::GT, x, lo),
                   e.compare(ComparisonDirection::LT, x, hi));
  m.min = both(e.compare(ComparisonDirection::GT, lo, x),
               e.compare(ComparisonDirection::LT, lo, hi));
  m.max = e.compare(ComparisonDirection::LT, hi, x);
  return m;
}

Value mlax::sumToBound(Emit &e, Value g, Value bound) {
  if (e.type(bound).getRank() != 0 || e.type(g).getRank() == 0)
    return g;
  return e.reduceSum(
      g, llvm::to_vector(llvm::seq<int64_t>(0, e.type(g).getRank())));
}

Value mlax::prodPartials(Emit &e, Value x, ArrayRef<int64_t> axes) {
  // With z zeros among the reduced elements: z == 0 -> prod / x_i;
  // z == 1 -> the product of the nonzeros at the zero, 0 elsewhere;
  // z >= 2 -> 0.
  auto type = e.type(x);
  SmallVector<int64_t> kept = keptDims(type, axes);
  Value zero = e.zerosLike(x), one = e.like(x, 1);
  Value isZero = e.compare(ComparisonDirection::EQ, x, zero);
  Value nonzero = e.select(isZero, one, x);
  auto reducedType = type.clone(llvm::to_vector(
      llvm::map_range(kept, [&](int64_t d) { return type.getDimSize(d); })));
  Value prodNonzero =
      ReduceProdOp::create(e.b, e.loc, reducedType, nonzero, axes);
  Value zeros = e.reduceSum(e.convert(isZero, type.getElementType()), axes);
  Value p = e.broadcast(prodNonzero, type, kept);
  Value z = e.broadcast(zeros, type, kept);
  Value noZeros = e.compare(ComparisonDirection::EQ, z, zero);
  Value oneZero = e.compare(ComparisonDirection::EQ, z, one);
  Value atTheZero = e.select(isZero, p, zero);
  return e.select(noZeros, e.div(p, nonzero),
                  e.select(oneZero, atTheZero, zero));
}

Value mlax::unaryDerivative(Operation *op, Emit &e) {
  if (op->getNumOperands() != 1 || op->getNumResults() != 1)
    return {};
  Value x = op->getOperand(0), y = op->getResult(0);
  OpBuilder &b = e.b;
  RankedTensorType t = e.type(y);
  auto one = [&] { return e.like(y, 1); };
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case<ExpOp>([&](auto) { return y; })
      .Case<LogOp>([&](auto) { return e.div(one(), x); })
      .Case<TanhOp>([&](auto) { return e.sub(one(), e.mul(y, y)); })
      .Case<LogisticOp>([&](auto) { return e.mul(y, e.sub(one(), y)); })
      .Case<SinOp>([&](auto) { return (Value)CosOp::create(b, e.loc, t, x); })
      .Case<CosOp>([&](auto) { return e.neg(SinOp::create(b, e.loc, t, x)); })
      .Case<SqrtOp>([&](auto) { return e.div(e.like(y, 0.5), y); })
      .Case<AbsOp>([&](auto) {
        // JAX's rule: +1 at x >= 0 (so at 0 too), -1 below.
        return e.select(e.compare(ComparisonDirection::GE, x, e.like(x, 0)),
                        one(), e.like(y, -1));
      })
      .Case<Exp2Op>([&](auto) { return e.mul(y, e.like(y, M_LN2)); })
      .Case<Log1pOp>([&](auto) { return e.div(one(), e.add(x, one())); })
      .Case<Expm1Op>([&](auto) { return e.add(y, one()); })
      .Case<RsqrtOp>([&](auto) { return e.div(e.mul(y, e.like(y, -0.5)), x); })
      .Case<CbrtOp>([&](auto) { return e.div(y, e.mul(x, e.like(y, 3))); })
      .Case<TanOp>([&](auto) { return e.add(one(), e.mul(y, y)); })
      .Case<ErfOp>([&](auto) {
        Value gauss = ExpOp::create(b, e.loc, t, e.neg(e.mul(x, x)));
        return e.mul(gauss, e.like(y, M_2_SQRTPI));
      })
      .Case<ErfInvOp>([&](auto) {
        // 1 / erf'(y) = sqrt(pi) / 2 * exp(y^2)
        Value grow = ExpOp::create(b, e.loc, t, e.mul(y, y));
        return e.mul(grow, e.like(y, 0.5 * std::sqrt(M_PI)));
      })
      .Case<IntegerPowOp>([&](IntegerPowOp p) -> Value {
        int64_t n = static_cast<int64_t>(p.getExponent());
        if (n == 0)
          return e.zerosLike(y);
        if (n == 1)
          return one();
        return e.mul(e.like(y, n), IntegerPowOp::create(b, e.loc, t, x, n - 1));
      })
      .Default([](Operation *) { return Value(); });
}

Value mlax::topKPoints(Emit &e, Value indices) {
  auto type = e.type(indices);
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape());
  shape.push_back(1);
  auto column = type.clone(shape);
  SmallVector<Value> parts;
  for (int64_t d = 0; d + 1 < rank; ++d)
    parts.push_back(IotaOp::create(e.b, e.loc, column, d));
  parts.push_back(e.reshape(indices, shape));
  shape.back() = rank;
  return ConcatenateOp::create(e.b, e.loc, type.clone(shape), parts, rank);
}

Value mlax::sortPermutation(Emit &e, SortOp sort) {
  int64_t numKeys = sort.getNumKeys();
  auto keyType = cast<RankedTensorType>(sort.getInputs()[0].getType());
  Value iota = IotaOp::create(e.b, e.loc, keyType.clone(e.b.getI32Type()),
                              sort.getDimension());
  SmallVector<Value> inputs(sort.getInputs().take_front(numKeys));
  inputs.push_back(iota);
  SmallVector<Type> types;
  for (Value v : inputs)
    types.push_back(v.getType());
  return SortOp::create(e.b, e.loc, types, inputs, sort.getDimension(), numKeys)
      .getResults()
      .back();
}

Value mlax::gatherAtUpdates(Emit &e, ScatterOp s, Value g) {
  auto updatesType = s.getUpdates().getType();
  bool drop = s.getMode() != IndexMode::clip;
  TypedAttr fill =
      drop ? cast<TypedAttr>(e.b.getZeroAttr(updatesType.getElementType()))
           : TypedAttr();
  return GatherOp::create(e.b, e.loc, updatesType, g, s.getIndices(),
                          s.getDims(), drop ? IndexMode::fill : IndexMode::clip,
                          fill);
}

ScatterExtremal mlax::scatterExtremal(Emit &e, ScatterOp s) {
  Value y = s.getResult(), x = s.getOperand(), u = s.getUpdates();
  auto ones = [&](Value v) { return e.like(v, 1); };
  auto wins = [&](Value a, Value b) {
    return e.select(e.compare(ComparisonDirection::EQ, a, b), ones(a),
                    e.zerosLike(a));
  };
  Value operandWins = wins(x, y);
  // A dropped update reads NaN here: it never wins.
  auto updatesType = cast<RankedTensorType>(u.getType());
  bool drop = s.getMode() != IndexMode::clip;
  TypedAttr nan =
      drop
          ? cast<TypedAttr>(e.b.getFloatAttr(updatesType.getElementType(), NAN))
          : TypedAttr();
  Value yAt =
      GatherOp::create(e.b, e.loc, updatesType, y, s.getIndices(), s.getDims(),
                       drop ? IndexMode::fill : IndexMode::clip, nan);
  Value updateWins = wins(u, yAt);
  Value landed = ScatterOp::create(e.b, e.loc, x.getType(), ScatterKind::add,
                                   e.zerosLike(x), s.getIndices(), updateWins,
                                   s.getDims(), s.getMode());
  Value count = e.add(operandWins, landed);
  // Where nothing equals y (NaNs), count 1 keeps the division finite.
  Value none = e.compare(ComparisonDirection::EQ, count, e.zerosLike(count));
  return {operandWins, updateWins, e.select(none, ones(count), count)};
}
