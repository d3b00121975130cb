//===- LowerToLinalgElementwise.cpp - elementwise mlax ops -> linalg ------===//
//
// Each elementwise op has one `scalarRule` overload below: given the scalar
// operands (signless) and the op's mlax element type (which carries the
// signedness), it builds the arith/math body of the linalg.generic. The
// generic itself is built once, by buildElementwise.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/Passes.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlax;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isUnsigned(Type t) { return t.isUnsignedInteger(); }
bool isBool(Type t) { return t.isInteger(1); }
unsigned bitWidth(Type t) { return t.getIntOrFloatBitWidth(); }

Value allOnes(OpBuilder &b, Location loc, Type signless) {
  return arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(signless, APInt::getAllOnes(bitWidth(signless))));
}

Value cmpI(OpBuilder &b, Location loc, arith::CmpIPredicate p, Value x,
           Value y) {
  return arith::CmpIOp::create(b, loc, p, x, y);
}

Value cmpF(OpBuilder &b, Location loc, arith::CmpFPredicate p, Value x,
           Value y) {
  return arith::CmpFOp::create(b, loc, p, x, y);
}

Value select(OpBuilder &b, Location loc, Value c, Value x, Value y) {
  return arith::SelectOp::create(b, loc, c, x, y);
}

//===----------------------------------------------------------------------===//
// Scalar rules, one per op.
//===----------------------------------------------------------------------===//

#define UNARY_FLOAT_RULE(OP, MATHOP)                                           \
  Value scalarRule(OP, OpBuilder &b, Location loc, Type, ValueRange a) {       \
    return math::MATHOP::create(b, loc, a[0]);                                 \
  }
// f64 bodies of these are expanded here: IREE would call libm for them
// or expand them inaccurately.
#define F64_EXPANDED_RULE(OP, MATHOP, F64EXPANSION)                            \
  Value scalarRule(OP, OpBuilder &b, Location loc, Type, ValueRange a) {       \
    if (a[0].getType().isF64())                                                \
      return F64EXPANSION(b, loc, a[0]);                                       \
    return math::MATHOP::create(b, loc, a[0]);                                 \
  }
UNARY_FLOAT_RULE(ExpOp, ExpOp)
UNARY_FLOAT_RULE(Exp2Op, Exp2Op)
UNARY_FLOAT_RULE(LogOp, LogOp)
F64_EXPANDED_RULE(Log1pOp, Log1pOp, expandF64Log1p)
F64_EXPANDED_RULE(Expm1Op, ExpM1Op, expandF64Expm1)
UNARY_FLOAT_RULE(SqrtOp, SqrtOp)
UNARY_FLOAT_RULE(RsqrtOp, RsqrtOp)
F64_EXPANDED_RULE(CbrtOp, CbrtOp, expandF64Cbrt)
F64_EXPANDED_RULE(SinOp, SinOp, expandF64Sin)
F64_EXPANDED_RULE(CosOp, CosOp, expandF64Cos)
F64_EXPANDED_RULE(TanOp, TanOp, expandF64Tan)
F64_EXPANDED_RULE(TanhOp, TanhOp, expandF64Tanh)
F64_EXPANDED_RULE(ErfOp, ErfOp, expandF64Erf)
UNARY_FLOAT_RULE(FloorOp, FloorOp)
UNARY_FLOAT_RULE(CeilOp, CeilOp)
#undef UNARY_FLOAT_RULE
#undef F64_EXPANDED_RULE

Value scalarRule(NegOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::NegFOp::create(b, loc, a[0]);
  return arith::SubIOp::create(b, loc,
                               scalarConstant(b, loc, a[0].getType(), 0), a[0]);
}

Value scalarRule(AbsOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return math::AbsFOp::create(b, loc, a[0]);
  if (isUnsigned(t))
    return a[0];
  return math::AbsIOp::create(b, loc, a[0]);
}

Value scalarRule(SignOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  Type st = a[0].getType();
  Value zero = scalarConstant(b, loc, st, 0),
        one = scalarConstant(b, loc, st, 1);
  if (isFloat(t)) {
    // NaN and +-0 map to themselves.
    Value minusOne = scalarConstant(b, loc, st, -1);
    Value neg =
        select(b, loc, cmpF(b, loc, arith::CmpFPredicate::OLT, a[0], zero),
               minusOne, a[0]);
    return select(b, loc, cmpF(b, loc, arith::CmpFPredicate::OGT, a[0], zero),
                  one, neg);
  }
  if (isUnsigned(t))
    return select(b, loc, cmpI(b, loc, arith::CmpIPredicate::ne, a[0], zero),
                  one, zero);
  Value minusOne = scalarConstant(b, loc, st, -1);
  Value neg =
      select(b, loc, cmpI(b, loc, arith::CmpIPredicate::slt, a[0], zero),
             minusOne, zero);
  return select(b, loc, cmpI(b, loc, arith::CmpIPredicate::sgt, a[0], zero),
                one, neg);
}

Value scalarRule(NotOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return arith::XOrIOp::create(b, loc, a[0], allOnes(b, loc, a[0].getType()));
}

Value scalarRule(LogisticOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Type st = a[0].getType();
  Value one = scalarConstant(b, loc, st, 1);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, a[0]));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

/// erf_inv by Giles' single-precision approximation ("Approximating the
/// erfinv function", GPU Computing Gems), the one XLA uses for f32. f64
/// refines that estimate with Newton steps on erf.
Value scalarRule(ErfInvOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value x = a[0];
  Type st = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, st, v); };
  auto polynomial = [&](Value w, ArrayRef<double> coeffs) {
    Value p = c(coeffs[0]);
    for (double coeff : coeffs.drop_front())
      p = arith::AddFOp::create(b, loc, c(coeff),
                                arith::MulFOp::create(b, loc, p, w));
    return p;
  };
  Value one = c(1);
  Value w = arith::NegFOp::create(
      b, loc,
      math::LogOp::create(
          b, loc,
          arith::MulFOp::create(b, loc, arith::SubFOp::create(b, loc, one, x),
                                arith::AddFOp::create(b, loc, one, x))));
  Value small = polynomial(arith::SubFOp::create(b, loc, w, c(2.5)),
                           {2.81022636e-08, 3.43273939e-07, -3.5233877e-06,
                            -4.39150654e-06, 0.00021858087, -0.00125372503,
                            -0.00417768164, 0.246640727, 1.50140941});
  Value large = polynomial(
      arith::SubFOp::create(b, loc, math::SqrtOp::create(b, loc, w), c(3)),
      {-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
       0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682});
  Value p = select(b, loc, cmpF(b, loc, arith::CmpFPredicate::OLT, w, c(5)),
                   small, large);
  Value result = arith::MulFOp::create(b, loc, p, x);
  if (st.isF64())
    result = refineF64ErfInv(b, loc, x, result);
  // erf_inv(+-1) = +-inf.
  Value isOne = cmpF(b, loc, arith::CmpFPredicate::OEQ,
                     math::AbsFOp::create(b, loc, x), one);
  Value inf = c(std::numeric_limits<double>::infinity());
  return select(b, loc, isOne, math::CopySignOp::create(b, loc, inf, x),
                result);
}

Value scalarRule(RoundOp op, OpBuilder &b, Location loc, Type, ValueRange a) {
  if (op.getRoundingMethod() == RoundingMethod::TO_NEAREST_EVEN)
    return math::RoundEvenOp::create(b, loc, a[0]);
  return math::RoundOp::create(b, loc, a[0]);
}

Value scalarRule(IsFiniteOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value inf = scalarConstant(b, loc, a[0].getType(),
                             std::numeric_limits<double>::infinity());
  return cmpF(b, loc, arith::CmpFPredicate::ONE,
              math::AbsFOp::create(b, loc, a[0]), inf);
}

Value multiply(OpBuilder &b, Location loc, Type t, Value x, Value y) {
  if (isFloat(t))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

/// x ** n by repeated squaring; 1 / x ** -n for negative n (floats only).
Value scalarRule(IntegerPowOp op, OpBuilder &b, Location loc, Type t,
                 ValueRange a) {
  int64_t n = static_cast<int64_t>(op.getExponent());
  uint64_t remaining = n < 0 ? -n : n;
  Value result = scalarConstant(b, loc, a[0].getType(), 1);
  Value square = a[0];
  bool first = true;
  while (remaining) {
    if (remaining & 1) {
      result = first ? square : multiply(b, loc, t, result, square);
      first = false;
    }
    remaining >>= 1;
    if (remaining)
      square = multiply(b, loc, t, square, square);
  }
  if (n < 0)
    result = arith::DivFOp::create(
        b, loc, scalarConstant(b, loc, a[0].getType(), 1), result);
  return result;
}

Value scalarRule(AddOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::AddFOp::create(b, loc, a[0], a[1]);
  if (isBool(t))
    return arith::OrIOp::create(b, loc, a[0], a[1]);
  return arith::AddIOp::create(b, loc, a[0], a[1]);
}

Value scalarRule(SubOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::SubFOp::create(b, loc, a[0], a[1]);
  return arith::SubIOp::create(b, loc, a[0], a[1]);
}

Value scalarRule(MulOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isBool(t))
    return arith::AndIOp::create(b, loc, a[0], a[1]);
  return multiply(b, loc, t, a[0], a[1]);
}

/// Integer division and remainder as XLA defines them, never UB:
/// x / 0 = -1, x % 0 = x, INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0.
Value integerDivRem(OpBuilder &b, Location loc, Type t, Value x, Value y,
                    bool rem) {
  Type st = x.getType();
  Value zero = scalarConstant(b, loc, st, 0),
        one = scalarConstant(b, loc, st, 1);
  Value byZero = cmpI(b, loc, arith::CmpIPredicate::eq, y, zero);
  Value safe = select(b, loc, byZero, one, y);
  if (!isUnsigned(t)) {
    Value intMin = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(st, APInt::getSignedMinValue(bitWidth(st))));
    Value overflow = arith::AndIOp::create(
        b, loc, cmpI(b, loc, arith::CmpIPredicate::eq, x, intMin),
        cmpI(b, loc, arith::CmpIPredicate::eq, y, allOnes(b, loc, st)));
    safe = select(b, loc, overflow, one, safe);
    Value q = rem ? (Value)arith::RemSIOp::create(b, loc, x, safe)
                  : (Value)arith::DivSIOp::create(b, loc, x, safe);
    if (rem)
      q = select(b, loc, overflow, zero, q);
    return select(b, loc, byZero, rem ? x : allOnes(b, loc, st), q);
  }
  Value q = rem ? (Value)arith::RemUIOp::create(b, loc, x, safe)
                : (Value)arith::DivUIOp::create(b, loc, x, safe);
  return select(b, loc, byZero, rem ? x : allOnes(b, loc, st), q);
}

Value scalarRule(DivOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::DivFOp::create(b, loc, a[0], a[1]);
  return integerDivRem(b, loc, t, a[0], a[1], /*rem=*/false);
}

Value scalarRule(RemOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (t.isF64())
    return expandF64Rem(b, loc, a[0], a[1]);
  if (isFloat(t))
    return arith::RemFOp::create(b, loc, a[0], a[1]);
  return integerDivRem(b, loc, t, a[0], a[1], /*rem=*/true);
}

/// pow with C's pow semantics, as XLA gives: a negative base with an
/// integral exponent is finite (sign from the exponent's parity), with a
/// fractional one NaN; pow(x, 0) = pow(1, y) = pow(-1, +-inf) = 1.
/// math.powf alone is exp(y * log(x)) in IREE: NaN for every negative x.
Value scalarRule(PowOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value x = a[0], y = a[1];
  Type st = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, st, v); };
  auto cmp = [&](arith::CmpFPredicate p, Value l, Value r) {
    return cmpF(b, loc, p, l, r);
  };
  auto both = [&](Value l, Value r) {
    return arith::AndIOp::create(b, loc, l, r);
  };
  Value ax = math::AbsFOp::create(b, loc, x);
  Value magnitude = math::PowFOp::create(b, loc, ax, y);
  Value integral =
      cmp(arith::CmpFPredicate::OEQ, math::FloorOp::create(b, loc, y), y);
  Value half = arith::MulFOp::create(b, loc, y, c(0.5));
  Value odd = both(integral, cmp(arith::CmpFPredicate::ONE,
                                 math::FloorOp::create(b, loc, half), half));
  Value signBit = cmp(arith::CmpFPredicate::OLT,
                      math::CopySignOp::create(b, loc, c(1), x), c(0));
  Value result = select(b, loc, both(signBit, odd),
                        arith::NegFOp::create(b, loc, magnitude), magnitude);
  Value inf = c(std::numeric_limits<double>::infinity());
  Value finiteNegative = both(
      cmp(arith::CmpFPredicate::OLT, x, c(0)),
      cmp(arith::CmpFPredicate::OGT, x, arith::NegFOp::create(b, loc, inf)));
  Value fractional = arith::XOrIOp::create(
      b, loc, integral, arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
  result = select(b, loc, both(finiteNegative, fractional),
                  c(std::numeric_limits<double>::quiet_NaN()), result);
  Value one = c(1);
  Value isOne = both(
      cmp(arith::CmpFPredicate::OEQ, ax, one),
      cmp(arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, loc, y), inf));
  isOne = arith::OrIOp::create(b, loc, isOne,
                               cmp(arith::CmpFPredicate::OEQ, x, one));
  isOne = arith::OrIOp::create(b, loc, isOne,
                               cmp(arith::CmpFPredicate::OEQ, y, c(0)));
  return select(b, loc, isOne, one, result);
}

Value scalarRule(Atan2Op, OpBuilder &b, Location loc, Type, ValueRange a) {
  if (a[0].getType().isF64())
    return expandF64Atan2(b, loc, a[0], a[1]);
  return math::Atan2Op::create(b, loc, a[0], a[1]);
}

Value scalarRule(MaxOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::MaximumFOp::create(b, loc, a[0], a[1]);
  if (isBool(t))
    return arith::OrIOp::create(b, loc, a[0], a[1]);
  if (isUnsigned(t))
    return arith::MaxUIOp::create(b, loc, a[0], a[1]);
  return arith::MaxSIOp::create(b, loc, a[0], a[1]);
}

Value scalarRule(MinOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  if (isFloat(t))
    return arith::MinimumFOp::create(b, loc, a[0], a[1]);
  if (isBool(t))
    return arith::AndIOp::create(b, loc, a[0], a[1]);
  if (isUnsigned(t))
    return arith::MinUIOp::create(b, loc, a[0], a[1]);
  return arith::MinSIOp::create(b, loc, a[0], a[1]);
}

Value scalarRule(AndOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return arith::AndIOp::create(b, loc, a[0], a[1]);
}
Value scalarRule(OrOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return arith::OrIOp::create(b, loc, a[0], a[1]);
}
Value scalarRule(XorOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return arith::XOrIOp::create(b, loc, a[0], a[1]);
}

/// Shift amounts outside [0, bit width) give 0 (or the sign fill), as in XLA.
Value shiftOutOfRange(OpBuilder &b, Location loc, Value amount) {
  Value width =
      scalarConstant(b, loc, amount.getType(), bitWidth(amount.getType()));
  return cmpI(b, loc, arith::CmpIPredicate::uge, amount, width);
}

Value scalarRule(ShiftLeftOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value zero = scalarConstant(b, loc, a[0].getType(), 0);
  return select(b, loc, shiftOutOfRange(b, loc, a[1]), zero,
                arith::ShLIOp::create(b, loc, a[0], a[1]));
}

Value scalarRule(ShiftRightLogicalOp, OpBuilder &b, Location loc, Type,
                 ValueRange a) {
  Value zero = scalarConstant(b, loc, a[0].getType(), 0);
  return select(b, loc, shiftOutOfRange(b, loc, a[1]), zero,
                arith::ShRUIOp::create(b, loc, a[0], a[1]));
}

Value scalarRule(ShiftRightArithmeticOp, OpBuilder &b, Location loc, Type,
                 ValueRange a) {
  Type st = a[0].getType();
  Value fill = arith::ShRSIOp::create(
      b, loc, a[0], scalarConstant(b, loc, st, bitWidth(st) - 1));
  return select(b, loc, shiftOutOfRange(b, loc, a[1]), fill,
                arith::ShRSIOp::create(b, loc, a[0], a[1]));
}

Value scalarRule(CompareOp op, OpBuilder &b, Location loc, Type t,
                 ValueRange a) {
  ComparisonDirection dir = op.getComparisonDirection();
  if (isFloat(t)) {
    // NE is unordered so that NaN != NaN, as in NumPy.
    arith::CmpFPredicate p[] = {
        arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE,
        arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
        arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE};
    return cmpF(b, loc, p[static_cast<int>(dir)], a[0], a[1]);
  }
  bool u = isUnsigned(t) || isBool(t);
  arith::CmpIPredicate p[] = {
      arith::CmpIPredicate::eq,
      arith::CmpIPredicate::ne,
      u ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt,
      u ? arith::CmpIPredicate::ule : arith::CmpIPredicate::sle,
      u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt,
      u ? arith::CmpIPredicate::uge : arith::CmpIPredicate::sge};
  return cmpI(b, loc, p[static_cast<int>(dir)], a[0], a[1]);
}

Value scalarRule(SelectOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return select(b, loc, a[0], a[1], a[2]);
}

Value scalarRule(ClampOp, OpBuilder &b, Location loc, Type t, ValueRange a) {
  Value lowered = scalarRule(MaxOp(), b, loc, t, {a[1], a[0]});
  return scalarRule(MinOp(), b, loc, t, {lowered, a[2]});
}

Value scalarRule(ConvertOp op, OpBuilder &b, Location loc, Type t,
                 ValueRange a) {
  return convertScalar(b, loc, a[0], t, op.getType().getElementType());
}

Value scalarRule(BitcastConvertOp op, OpBuilder &b, Location loc, Type,
                 ValueRange a) {
  Type to = op.getType().getElementType();
  if (to.isUnsignedInteger())
    to = b.getIntegerType(bitWidth(to));
  return arith::BitcastOp::create(b, loc, to, a[0]);
}

//===----------------------------------------------------------------------===//
// The pattern: one linalg.generic around the op's scalar rule.
//===----------------------------------------------------------------------===//

template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
    // The last operand carries the element type of the computation (the
    // first is select's predicate).
    Type elementType =
        getElementTypeOrSelf(op->getOperand(op->getNumOperands() - 1));
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return scalarRule(op, b, loc, elementType, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// iota: the generic has no inputs; the body reads the loop index.
struct IotaLowering : OpConversionPattern<IotaOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(IotaOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType =
        cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Type elementType = op.getType().getElementType();
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, {},
        [&](OpBuilder &b, Location loc, ValueRange) {
          Value index = linalg::IndexOp::create(b, loc, op.getIotaDimension());
          Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
          return convertScalar(b, loc, i64, b.getI64Type(), elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

Value mlax::convertScalar(OpBuilder &b, Location loc, Value v, Type from,
                          Type to) {
  if (from == to)
    return v;
  Type st = to.isUnsignedInteger() ? b.getIntegerType(bitWidth(to)) : to;
  if (isBool(to)) {
    Value zero = scalarConstant(b, loc, v.getType(), 0);
    return isFloat(from) ? cmpF(b, loc, arith::CmpFPredicate::UNE, v, zero)
                         : cmpI(b, loc, arith::CmpIPredicate::ne, v, zero);
  }
  bool fromUnsigned = isUnsigned(from) || isBool(from);
  if (isFloat(from) && isFloat(to)) {
    if (bitWidth(from) == bitWidth(to)) { // f16 <-> bf16, through f32
      v = arith::ExtFOp::create(b, loc, b.getF32Type(), v);
      return arith::TruncFOp::create(b, loc, st, v);
    }
    if (bitWidth(from) < bitWidth(to))
      return arith::ExtFOp::create(b, loc, st, v);
    return arith::TruncFOp::create(b, loc, st, v);
  }
  if (isFloat(to))
    return fromUnsigned ? (Value)arith::UIToFPOp::create(b, loc, st, v)
                        : (Value)arith::SIToFPOp::create(b, loc, st, v);
  if (isFloat(from)) {
    // Saturate out-of-range values and map NaN to 0, as XLA on CPU does;
    // a bare fptosi/fptoui would be poison there.
    unsigned width = bitWidth(st);
    bool u = isUnsigned(to);
    Value converted = u ? (Value)arith::FPToUIOp::create(b, loc, st, v)
                        : (Value)arith::FPToSIOp::create(b, loc, st, v);
    APInt maxInt =
        u ? APInt::getMaxValue(width) : APInt::getSignedMaxValue(width);
    APInt minInt = u ? APInt::getZero(width) : APInt::getSignedMinValue(width);
    double upper = u ? std::ldexp(1.0, width) : std::ldexp(1.0, width - 1);
    double lower = u ? 0.0 : -std::ldexp(1.0, width - 1);
    Value tooBig = cmpF(b, loc, arith::CmpFPredicate::OGE, v,
                        scalarConstant(b, loc, v.getType(), upper));
    Value tooSmall = cmpF(b, loc, arith::CmpFPredicate::OLT, v,
                          scalarConstant(b, loc, v.getType(), lower));
    Value isNan = cmpF(b, loc, arith::CmpFPredicate::UNO, v, v);
    converted =
        select(b, loc, tooBig,
               arith::ConstantOp::create(b, loc, b.getIntegerAttr(st, maxInt)),
               converted);
    converted =
        select(b, loc, tooSmall,
               arith::ConstantOp::create(b, loc, b.getIntegerAttr(st, minInt)),
               converted);
    return select(b, loc, isNan, scalarConstant(b, loc, st, 0), converted);
  }
  if (bitWidth(from) == bitWidth(to))
    return v;
  if (bitWidth(from) > bitWidth(to))
    return arith::TruncIOp::create(b, loc, st, v);
  return fromUnsigned ? (Value)arith::ExtUIOp::create(b, loc, st, v)
                      : (Value)arith::ExtSIOp::create(b, loc, st, v);
}

void mlax::populateElementwiseLoweringPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<NegOp>, ElementwiseLowering<AbsOp>,
               ElementwiseLowering<SignOp>, ElementwiseLowering<NotOp>,
               ElementwiseLowering<ExpOp>, ElementwiseLowering<Exp2Op>,
               ElementwiseLowering<LogOp>, ElementwiseLowering<Log1pOp>,
               ElementwiseLowering<Expm1Op>, ElementwiseLowering<SqrtOp>,
               ElementwiseLowering<RsqrtOp>, ElementwiseLowering<CbrtOp>,
               ElementwiseLowering<SinOp>, ElementwiseLowering<CosOp>,
               ElementwiseLowering<TanOp>, ElementwiseLowering<TanhOp>,
               ElementwiseLowering<LogisticOp>, ElementwiseLowering<ErfOp>,
               ElementwiseLowering<ErfInvOp>, ElementwiseLowering<FloorOp>,
               ElementwiseLowering<CeilOp>, ElementwiseLowering<RoundOp>,
               ElementwiseLowering<IsFiniteOp>,
               ElementwiseLowering<IntegerPowOp>, ElementwiseLowering<AddOp>,
               ElementwiseLowering<SubOp>, ElementwiseLowering<MulOp>,
               ElementwiseLowering<DivOp>, ElementwiseLowering<RemOp>,
               ElementwiseLowering<PowOp>, ElementwiseLowering<MaxOp>,
               ElementwiseLowering<MinOp>, ElementwiseLowering<Atan2Op>,
               ElementwiseLowering<AndOp>, ElementwiseLowering<OrOp>,
               ElementwiseLowering<XorOp>, ElementwiseLowering<ShiftLeftOp>,
               ElementwiseLowering<ShiftRightLogicalOp>,
               ElementwiseLowering<ShiftRightArithmeticOp>,
               ElementwiseLowering<CompareOp>, ElementwiseLowering<SelectOp>,
               ElementwiseLowering<ClampOp>, ElementwiseLowering<ConvertOp>,
               ElementwiseLowering<BitcastConvertOp>, IotaLowering>(
      converter, patterns.getContext());
}
