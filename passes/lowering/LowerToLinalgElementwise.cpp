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

#include "llvm/ADT/TypeSwitch.h"

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
F64_EXPANDED_RULE(Expm1Op, ExpM1Op, expandF64Expm1)
UNARY_FLOAT_RULE(SqrtOp, SqrtOp)
UNARY_FLOAT_RULE(RsqrtOp, RsqrtOp)
F64_EXPANDED_RULE(TanhOp, TanhOp, expandF64Tanh)
UNARY_FLOAT_RULE(FloorOp, FloorOp)
UNARY_FLOAT_RULE(CeilOp, CeilOp)
#undef UNARY_FLOAT_RULE
#undef F64_EXPANDED_RULE

/// sin, cos and cbrt below f64 are evaluated in f64 and rounded once, as
/// tan (math.cbrt in f32 gave 2.0000002 for 8):
/// IREE's f32 math.sin is wrong for small negative x (sin(-1e-30) gave
/// 6.2e-8, sin(-1e-4) was off by 6e-4 relative) and its range reduction
/// loses digits early (sin(1e5) off by 8%).
#define F64_EVALUATED_RULE(OP, F64EXPANSION)                                   \
  Value scalarRule(OP, OpBuilder &b, Location loc, Type, ValueRange a) {       \
    Type st = a[0].getType();                                                  \
    if (st.isF64())                                                            \
      return F64EXPANSION(b, loc, a[0]);                                       \
    Value wide = arith::ExtFOp::create(b, loc, b.getF64Type(), a[0]);          \
    /* A widened argument has at most 24 significant bits: sin and cos */      \
    /* then reduce it exactly at any size (narrow = true). */                  \
    return arith::TruncFOp::create(b, loc, st,                                 \
                                   F64EXPANSION(b, loc, wide, true));          \
  }
static Value expandF64CbrtAnyWidth(OpBuilder &b, Location loc, Value x,
                                   bool /*narrow*/ = false) {
  return expandF64Cbrt(b, loc, x);
}
F64_EVALUATED_RULE(SinOp, expandF64Sin)
F64_EVALUATED_RULE(CosOp, expandF64Cos)
F64_EVALUATED_RULE(CbrtOp, expandF64CbrtAnyWidth)
#undef F64_EVALUATED_RULE

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
/// f32 log as XLA's CPU backend computes it (Cephes' logf, the polynomial
/// Eigen uses): x = m * 2^e with m in [sqrt(1/2), sqrt(2)), then
/// log(x) = (m - 1) - (m-1)^2/2 + (m-1)^3 P(m-1) + e*log(2) (log(2) split
/// in two parts). Samplers built on log then give JAX's numbers.
Value cephesLogF32(OpBuilder &b, Location loc, Value x) {
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto c = [&](double v) { return scalarConstant(b, loc, f32, v); };
  auto ci = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, v))
        .getResult();
  };
  auto mul = [&](Value p, Value q) {
    return arith::MulFOp::create(b, loc, p, q).getResult();
  };
  auto add = [&](Value p, Value q) {
    return arith::AddFOp::create(b, loc, p, q).getResult();
  };
  auto sub = [&](Value p, Value q) {
    return arith::SubFOp::create(b, loc, p, q).getResult();
  };
  auto bitsOf = [&](Value v) {
    return arith::BitcastOp::create(b, loc, i32, v);
  };
  auto floatOf = [&](Value v) {
    return arith::BitcastOp::create(b, loc, f32, v);
  };
  // Denormals are cut off (IREE flushes them anyway).
  Value m = arith::MaximumFOp::create(b, loc, x, floatOf(ci(0x00800000)));
  Value exponent = arith::SubIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bitsOf(m), ci(23)), ci(0x7f));
  // The mantissa in [0.5, 1).
  m = floatOf(arith::OrIOp::create(
      b, loc, arith::AndIOp::create(b, loc, bitsOf(m), ci(~0x7f800000)),
      bitsOf(c(0.5))));
  Value e = add(c(1), arith::SIToFPOp::create(b, loc, f32, exponent));
  Value below =
      cmpF(b, loc, arith::CmpFPredicate::OLT, m, c(0.707106781186547524));
  Value mMinusOne = sub(m, c(1));
  e = select(b, loc, below, sub(e, c(1)), e);
  Value t = select(b, loc, below, add(mMinusOne, m), mMinusOne);
  Value t2 = mul(t, t);
  Value t3 = mul(t2, t);
  Value y = add(mul(t, c(7.0376836292E-2)), c(-1.1514610310E-1));
  Value y1 = add(mul(t, c(-1.2420140846E-1)), c(+1.4249322787E-1));
  Value y2 = add(mul(t, c(+2.0000714765E-1)), c(-2.4999993993E-1));
  y = add(mul(y, t), c(1.1676998740E-1));
  y1 = add(mul(y1, t), c(-1.6668057665E-1));
  y2 = add(mul(y2, t), c(+3.3333331174E-1));
  y = add(mul(y, t3), y1);
  y = add(mul(y, t3), y2);
  y = mul(y, t3);
  y = add(y, mul(c(-2.12194440e-4), e));
  Value result = add(add(sub(t, mul(c(0.5), t2)), y), mul(c(0.693359375), e));
  // log(0) = -inf, log(inf) = inf, log(x < 0 or NaN) = NaN.
  Value zero = c(0), inf = c(std::numeric_limits<double>::infinity());
  result = select(b, loc, cmpF(b, loc, arith::CmpFPredicate::OEQ, x, inf), inf,
                  result);
  result = select(b, loc, cmpF(b, loc, arith::CmpFPredicate::OEQ, x, zero),
                  c(-std::numeric_limits<double>::infinity()), result);
  return select(b, loc, cmpF(b, loc, arith::CmpFPredicate::ULT, x, zero),
                c(std::numeric_limits<double>::quiet_NaN()), result);
}

/// log: XLA's Cephes algorithm in f32 (f16/bf16 through f32), IREE's
/// math.log for f64.
Value lowPrecisionLog(OpBuilder &b, Location loc, Value x) {
  Type st = x.getType();
  if (st.isF64())
    return math::LogOp::create(b, loc, x);
  if (st.isF32())
    return cephesLogF32(b, loc, x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  return arith::TruncFOp::create(b, loc, st, cephesLogF32(b, loc, wide));
}

Value scalarRule(LogOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  return lowPrecisionLog(b, loc, a[0]);
}

/// f32 erf as XLA's CPU backend computes it (Eigen's
/// generic_fast_erf_float): x P(x^2) / Q(x^2), +-1 past |x| = 3.8325.
Value eigenErfF32(OpBuilder &b, Location loc, Value x) {
  Type f32 = b.getF32Type();
  auto c = [&](float v) { return scalarConstant(b, loc, f32, v); };
  auto madd = [&](Value p, Value q, Value r) {
    return arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, p, q), r)
        .getResult();
  };
  Value x2 = arith::MulFOp::create(b, loc, x, x);
  Value p = madd(x2, c(0.00022905065861350646f), c(0.0034082910107109506f));
  p = madd(x2, p, c(0.050955695062380861f));
  p = madd(x2, p, c(0.18520832239976145f));
  p = madd(x2, p, c(1.128379143519084f));
  p = arith::MulFOp::create(b, loc, x, p);
  Value q = madd(x2, c(-1.1791602954361697e-7f), c(0.000023547966471313185f));
  q = madd(x2, q, c(0.0010179625278914885f));
  q = madd(x2, q, c(0.014070470171167667f));
  q = madd(x2, q, c(0.11098505178285362f));
  q = madd(x2, q, c(0.49746925110067538f));
  q = madd(x2, q, c(1.0f));
  Value clamp = cmpF(b, loc, arith::CmpFPredicate::OLE, c(3.832506856900711f),
                     math::AbsFOp::create(b, loc, x));
  return select(b, loc, clamp, math::CopySignOp::create(b, loc, c(1.0f), x),
                arith::DivFOp::create(b, loc, p, q));
}

Value scalarRule(ErfOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value x = a[0];
  Type st = x.getType();
  if (st.isF64())
    return expandF64Erf(b, loc, x);
  if (st.isF32())
    return eigenErfF32(b, loc, x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
  return arith::TruncFOp::create(b, loc, st, eigenErfF32(b, loc, wide));
}

/// tan below f64 is evaluated in f64 and rounded once: IREE's f32 math.tan
/// is off for small negative x (tan(-1.3e-8) gave 6.2e-8), and the f64
/// expansion rounds correctly almost always (JAX's tan does in ~96% of
/// cases, so the two agree within an ulp).
Value scalarRule(TanOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value x = a[0];
  Type st = x.getType();
  if (st.isF64())
    return expandF64Tan(b, loc, x);
  Value wide = arith::ExtFOp::create(b, loc, b.getF64Type(), x);
  return arith::TruncFOp::create(b, loc, st,
                                 expandF64Tan(b, loc, wide, /*narrow=*/true));
}

/// log1p below f64, as XLA's CPU backend computes it (so samplers built on
/// it match JAX's numbers): for |x| < sqrt(2) - 1 Cephes' rational
/// x - x^2/2 + x^3 P(x)/Q(x), else log(1 + x).
Value lowPrecisionLog1p(OpBuilder &b, Location loc, Value x) {
  Type st = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, st, v); };
  auto mul = [&](Value p, Value q) {
    return arith::MulFOp::create(b, loc, p, q).getResult();
  };
  auto add = [&](Value p, Value q) {
    return arith::AddFOp::create(b, loc, p, q).getResult();
  };
  auto horner = [&](ArrayRef<double> coeffs) {
    Value p = c(coeffs[0]);
    for (double coeff : coeffs.drop_front())
      p = add(mul(p, x), c(coeff));
    return p;
  };
  Value square = mul(x, x);
  Value numerator =
      horner({4.5270000862445199635215E-5, 4.9854102823193375972212E-1,
              6.5787325942061044846969E0, 2.9911919328553073277375E1,
              6.0949667980987787057556E1, 5.7112963590585538103336E1,
              2.0039553499201281259648E1});
  Value denominator =
      horner({1., 1.5062909083469192043167E1, 8.3047565967967209469434E1,
              2.2176239823732856465394E2, 3.0909872225312059774938E2,
              2.1642788614495947685003E2, 6.0118660497603843919306E1});
  Value small = mul(mul(x, square),
                    arith::DivFOp::create(b, loc, numerator, denominator));
  small = add(x, add(mul(c(-0.5), square), small));
  Value large = lowPrecisionLog(b, loc, add(x, c(1)));
  Value isSmall =
      cmpF(b, loc, arith::CmpFPredicate::OLT, math::AbsFOp::create(b, loc, x),
           c(0.41421356237309504880));
  return select(b, loc, isSmall, small, large);
}

Value scalarRule(Log1pOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  if (a[0].getType().isF64())
    return expandF64Log1p(b, loc, a[0]);
  return lowPrecisionLog1p(b, loc, a[0]);
}

Value scalarRule(ErfInvOp, OpBuilder &b, Location loc, Type, ValueRange a) {
  Value x = a[0];
  Type st = x.getType();
  auto c = [&](double v) { return scalarConstant(b, loc, st, v); };
  Value one = c(1);
  // w = -log1p(-x^2), as XLA computes it (jax.random.normal's bits rest on
  // erf_inv: the same formula keeps mlax's samples within an ulp or two).
  Value negSquare =
      arith::MulFOp::create(b, loc, x, arith::NegFOp::create(b, loc, x));
  Value w =
      arith::NegFOp::create(b, loc,
                            st.isF64() ? expandF64Log1p(b, loc, negSquare)
                                       : lowPrecisionLog1p(b, loc, negSquare));
  // One Horner chain whose coefficients are selected per element, as XLA
  // evaluates it (half the multiply-adds of evaluating both and selecting).
  static const double small[9] = {
      2.81022636e-08,  3.43273939e-07, -3.5233877e-06,
      -4.39150654e-06, 0.00021858087,  -0.00125372503,
      -0.00417768164,  0.246640727,    1.50140941};
  static const double large[9] = {
      -0.000200214257, 0.000100950558, 0.00134934322,
      -0.00367342844,  0.00573950773,  -0.0076224613,
      0.00943887047,   1.00167406,     2.83297682};
  Value isSmall = cmpF(b, loc, arith::CmpFPredicate::OLT, w, c(5));
  Value t = select(
      b, loc, isSmall, arith::SubFOp::create(b, loc, w, c(2.5)),
      arith::SubFOp::create(b, loc, math::SqrtOp::create(b, loc, w), c(3)));
  Value p = select(b, loc, isSmall, c(small[0]), c(large[0]));
  for (int i = 1; i < 9; ++i)
    p = arith::AddFOp::create(b, loc,
                              select(b, loc, isSmall, c(small[i]), c(large[i])),
                              arith::MulFOp::create(b, loc, p, t));
  Value result = arith::MulFOp::create(b, loc, p, x);
  // f64: Newton steps from this estimate (XLA's f64 erf_inv loses digits
  // near +-1, where 1 - x^2 cancels; mlax's is accurate there).
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
  // Below f64, |x|^y is evaluated in f64 and rounded once: IREE's f32 powf
  // misses exact results by an ulp (10^2 gave 100.00001, 3^3 27.000002).
  Value magnitude;
  if (st.isF64()) {
    magnitude = math::PowFOp::create(b, loc, ax, y);
  } else {
    Type f64 = b.getF64Type();
    magnitude = arith::TruncFOp::create(
        b, loc, st,
        math::PowFOp::create(b, loc, arith::ExtFOp::create(b, loc, f64, ax),
                             arith::ExtFOp::create(b, loc, f64, y)));
  }
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

/// atan2 below f64 is evaluated in f64 and rounded once: IREE's f32
/// math.atan2 is off by ~4e-6 relative and NaN at (+-0, +-0) and
/// (+-inf, +-inf), where the expansion gives IEEE's values.
Value scalarRule(Atan2Op, OpBuilder &b, Location loc, Type, ValueRange a) {
  Type st = a[0].getType();
  if (st.isF64())
    return expandF64Atan2(b, loc, a[0], a[1]);
  Type f64 = b.getF64Type();
  Value y = arith::ExtFOp::create(b, loc, f64, a[0]);
  Value x = arith::ExtFOp::create(b, loc, f64, a[1]);
  return arith::TruncFOp::create(b, loc, st, expandF64Atan2(b, loc, y, x));
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
// Complex bodies: complex dialect ops, which IREE expands itself
// (complex-to-standard). Null for an op with no complex form; the
// verifiers let only the ops below take complex operands.
//===----------------------------------------------------------------------===//

Value complexPower(OpBuilder &b, Location loc, Value x, int64_t n) {
  // Square-and-multiply, as lax.integer_pow; negative n inverts at the end.
  uint64_t m = n < 0 ? -static_cast<uint64_t>(n) : n;
  Value acc = scalarConstant(b, loc, x.getType(), 1), base = x;
  bool first = true;
  while (m) {
    if (m & 1) {
      acc = first ? base : (Value)complex::MulOp::create(b, loc, acc, base);
      first = false;
    }
    m >>= 1;
    if (m)
      base = complex::MulOp::create(b, loc, base, base);
  }
  if (n < 0)
    acc = complex::DivOp::create(b, loc, scalarConstant(b, loc, x.getType(), 1),
                                 acc);
  return acc;
}

/// log z = log|z| + i atan2(im, re), with mlax's atan2 (IREE's f32 atan2,
/// used by complex-to-standard, gives NaN for atan2(0, 0): log(0) must be
/// -inf + 0i).
Value complexLog(OpBuilder &b, Location loc, Value z) {
  Value re = complex::ReOp::create(b, loc, z);
  Value im = complex::ImOp::create(b, loc, z);
  Value modulus = complex::AbsOp::create(b, loc, z);
  Value angle = scalarRule(Atan2Op(), b, loc, re.getType(), {im, re});
  return complex::CreateOp::create(b, loc, z.getType(),
                                   math::LogOp::create(b, loc, modulus), angle);
}

/// log1p z: real part 0.5 log1p(x (2 + x) + y^2), exact near 0, or
/// log|1 + z| for large |z| (where the square would overflow); imaginary
/// part atan2(y, 1 + x).
Value complexLog1p(OpBuilder &b, Location loc, Value z) {
  Value x = complex::ReOp::create(b, loc, z);
  Value y = complex::ImOp::create(b, loc, z);
  Type ft = x.getType();
  Value one = scalarConstant(b, loc, ft, 1),
        two = scalarConstant(b, loc, ft, 2);
  Value xp1 = arith::AddFOp::create(b, loc, x, one);
  Value inner = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, x, arith::AddFOp::create(b, loc, x, two)),
      arith::MulFOp::create(b, loc, y, y));
  Value small = arith::MulFOp::create(b, loc, scalarConstant(b, loc, ft, 0.5),
                                      math::Log1pOp::create(b, loc, inner));
  Value shifted = complex::CreateOp::create(b, loc, z.getType(), xp1, y);
  Value large =
      math::LogOp::create(b, loc, complex::AbsOp::create(b, loc, shifted));
  Value magnitude = arith::MaximumFOp::create(
      b, loc, math::AbsFOp::create(b, loc, x), math::AbsFOp::create(b, loc, y));
  Value isLarge = cmpF(b, loc, arith::CmpFPredicate::OGT, magnitude,
                       scalarConstant(b, loc, ft, 1e8));
  Value re = select(b, loc, isLarge, large, small);
  Value angle = scalarRule(Atan2Op(), b, loc, ft, {y, xp1});
  return complex::CreateOp::create(b, loc, z.getType(), re, angle);
}

/// sqrt z as XLA computes it: u = sqrt((|z| + |x|) / 2); (u, y / 2u) for
/// x >= 0, else (|y| / 2u, copysign(u, y)); sqrt(0 + yi) = (0, y).
Value complexSqrt(OpBuilder &b, Location loc, Value z) {
  Value x = complex::ReOp::create(b, loc, z);
  Value y = complex::ImOp::create(b, loc, z);
  Type ft = x.getType();
  Value half = scalarConstant(b, loc, ft, 0.5),
        zero = scalarConstant(b, loc, ft, 0);
  Value modulus = complex::AbsOp::create(b, loc, z);
  Value absX = math::AbsFOp::create(b, loc, x);
  Value u = math::SqrtOp::create(
      b, loc,
      arith::AddFOp::create(b, loc,
                            arith::MulFOp::create(b, loc, modulus, half),
                            arith::MulFOp::create(b, loc, absX, half)));
  Value twoU = arith::AddFOp::create(b, loc, u, u);
  Value nonneg = cmpF(b, loc, arith::CmpFPredicate::OGE, x, zero);
  Value yOver = arith::DivFOp::create(b, loc, y, twoU);
  Value absYOver =
      arith::DivFOp::create(b, loc, math::AbsFOp::create(b, loc, y), twoU);
  Value re = select(b, loc, nonneg, u, absYOver);
  Value im =
      select(b, loc, nonneg, yOver, math::CopySignOp::create(b, loc, u, y));
  Value isZero = cmpF(b, loc, arith::CmpFPredicate::OEQ, modulus, zero);
  re = select(b, loc, isZero, zero, re);
  im = select(b, loc, isZero, y, im);
  // An infinite imaginary part wins: sqrt(x + inf i) = inf + inf i.
  Value inf =
      scalarConstant(b, loc, ft, std::numeric_limits<double>::infinity());
  Value yInf = cmpF(b, loc, arith::CmpFPredicate::OEQ,
                    math::AbsFOp::create(b, loc, y), inf);
  re = select(b, loc, yInf, inf, re);
  im = select(b, loc, yInf, y, im);
  return complex::CreateOp::create(b, loc, z.getType(), re, im);
}

/// sinh and cosh of a real part, from expm1 and exp (precise near 0).
std::pair<Value, Value> sinhCosh(OpBuilder &b, Location loc, Value y) {
  Type ft = y.getType();
  Value half = scalarConstant(b, loc, ft, 0.5);
  Value up = math::ExpM1Op::create(b, loc, y);
  Value down = math::ExpM1Op::create(b, loc, arith::NegFOp::create(b, loc, y));
  Value sinh = arith::MulFOp::create(
      b, loc, arith::SubFOp::create(b, loc, up, down), half);
  Value cosh = arith::MulFOp::create(
      b, loc,
      arith::AddFOp::create(
          b, loc, math::ExpOp::create(b, loc, y),
          math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, y))),
      half);
  return {sinh, cosh};
}

/// exp, sin and cos of complex values from mlax's real sin and cos rules
/// (evaluated in f64 for f32; complex-to-standard would use IREE's f32
/// math.sin, which is inaccurate: exp(i pi) must be -1 - 8.74e-8 i).
Value complexExp(OpBuilder &b, Location loc, Value z) {
  Value x = complex::ReOp::create(b, loc, z);
  Value y = complex::ImOp::create(b, loc, z);
  Type ft = x.getType();
  Value e = math::ExpOp::create(b, loc, x);
  Value re =
      arith::MulFOp::create(b, loc, e, scalarRule(CosOp(), b, loc, ft, {y}));
  Value im =
      arith::MulFOp::create(b, loc, e, scalarRule(SinOp(), b, loc, ft, {y}));
  // A real argument stays real (exp(inf + 0i) = inf + 0i, not a NaN part).
  Value zero = scalarConstant(b, loc, ft, 0);
  Value realArg = cmpF(b, loc, arith::CmpFPredicate::OEQ, y, zero);
  im = select(b, loc, realArg, y, im);
  re = select(b, loc, realArg, e, re);
  return complex::CreateOp::create(b, loc, z.getType(), re, im);
}

Value complexSinOrCos(OpBuilder &b, Location loc, Value z, bool isSin) {
  Value x = complex::ReOp::create(b, loc, z);
  Value y = complex::ImOp::create(b, loc, z);
  Type ft = x.getType();
  Value s = scalarRule(SinOp(), b, loc, ft, {x});
  Value c = scalarRule(CosOp(), b, loc, ft, {x});
  auto [sh, ch] = sinhCosh(b, loc, y);
  // sin(x + iy) = sin x cosh y + i cos x sinh y;
  // cos(x + iy) = cos x cosh y - i sin x sinh y.
  Value re = arith::MulFOp::create(b, loc, isSin ? s : c, ch);
  Value im = arith::MulFOp::create(b, loc, isSin ? c : s, sh);
  if (!isSin)
    im = arith::NegFOp::create(b, loc, im);
  return complex::CreateOp::create(b, loc, z.getType(), re, im);
}

Value complexRule(Operation *op, OpBuilder &b, Location loc, ValueRange a) {
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](mlax::AddOp) {
        return complex::AddOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::SubOp) {
        return complex::SubOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::MulOp) {
        return complex::MulOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::DivOp) {
        return complex::DivOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::PowOp) {
        return complex::PowOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::NegOp) { return complex::NegOp::create(b, loc, a[0]); })
      .Case([&](mlax::ExpOp) { return complexExp(b, loc, a[0]); })
      .Case(
          [&](mlax::Expm1Op) { return complex::Expm1Op::create(b, loc, a[0]); })
      .Case([&](mlax::LogOp) { return complexLog(b, loc, a[0]); })
      .Case([&](mlax::Log1pOp) { return complexLog1p(b, loc, a[0]); })
      .Case([&](mlax::SqrtOp) { return complexSqrt(b, loc, a[0]); })
      .Case([&](mlax::RsqrtOp) {
        return complex::DivOp::create(b, loc,
                                      scalarConstant(b, loc, a[0].getType(), 1),
                                      complexSqrt(b, loc, a[0]));
      })
      .Case([&](mlax::SinOp) { return complexSinOrCos(b, loc, a[0], true); })
      .Case([&](mlax::CosOp) { return complexSinOrCos(b, loc, a[0], false); })
      .Case([&](mlax::TanOp) { return complex::TanOp::create(b, loc, a[0]); })
      .Case([&](mlax::TanhOp) { return complex::TanhOp::create(b, loc, a[0]); })
      .Case([&](mlax::AbsOp) { return complex::AbsOp::create(b, loc, a[0]); })
      .Case([&](mlax::ConjOp) { return complex::ConjOp::create(b, loc, a[0]); })
      .Case([&](mlax::RealOp) { return complex::ReOp::create(b, loc, a[0]); })
      .Case([&](mlax::ImagOp) { return complex::ImOp::create(b, loc, a[0]); })
      .Case([&](mlax::ComplexOp c) {
        return complex::CreateOp::create(b, loc, c.getType().getElementType(),
                                         a[0], a[1]);
      })
      .Case([&](mlax::IntegerPowOp p) {
        return complexPower(b, loc, a[0],
                            static_cast<int64_t>(p.getExponent()));
      })
      .Case([&](mlax::CompareOp c) -> Value {
        if (c.getComparisonDirection() == ComparisonDirection::EQ)
          return complex::EqualOp::create(b, loc, a[0], a[1]);
        return complex::NotEqualOp::create(b, loc, a[0], a[1]);
      })
      .Case([&](mlax::SelectOp) { return select(b, loc, a[0], a[1], a[2]); })
      .Case([&](mlax::ConvertOp c) {
        return convertScalar(b, loc, a[0],
                             c.getOperand().getType().getElementType(),
                             c.getType().getElementType());
      })
      .Default([](Operation *) { return Value(); });
}

bool touchesComplex(Operation *op) {
  auto complexTyped = [](Value v) {
    return isa<ComplexType>(getElementTypeOrSelf(v.getType()));
  };
  return llvm::any_of(op->getOperands(), complexTyped) ||
         llvm::any_of(op->getResults(), complexTyped);
}

/// complex, real, imag and conj always touch complex values: they have only
/// complex bodies (complexRule), never a real one.
Value scalarRule(Operation *, OpBuilder &, Location, Type, ValueRange) {
  return Value();
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
    bool complexBody = touchesComplex(op);
    bool missing = false;
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          if (!complexBody)
            return scalarRule(op, b, loc, elementType, args);
          Value v = complexRule(op, b, loc, args);
          missing = !v;
          // A placeholder keeps the body well formed until the error.
          return v ? v : args[0];
        });
    if (missing)
      return op->emitOpError("has no lowering for complex operands");
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
  // Complex: through the parts. Complex to real keeps the real part (JAX
  // warns), to bool tests both parts.
  if (auto c = dyn_cast<ComplexType>(to)) {
    Type part = c.getElementType();
    if (auto cf = dyn_cast<ComplexType>(from)) {
      Type fromPart = cf.getElementType();
      Value re = convertScalar(b, loc, complex::ReOp::create(b, loc, v),
                               fromPart, part);
      Value im = convertScalar(b, loc, complex::ImOp::create(b, loc, v),
                               fromPart, part);
      return complex::CreateOp::create(b, loc, c, re, im);
    }
    Value re = convertScalar(b, loc, v, from, part);
    return complex::CreateOp::create(b, loc, c, re,
                                     scalarConstant(b, loc, part, 0));
  }
  if (auto cf = dyn_cast<ComplexType>(from)) {
    Type part = cf.getElementType();
    Value re = complex::ReOp::create(b, loc, v);
    if (isBool(to)) {
      Value im = complex::ImOp::create(b, loc, v);
      return arith::OrIOp::create(b, loc, convertScalar(b, loc, re, part, to),
                                  convertScalar(b, loc, im, part, to));
    }
    return convertScalar(b, loc, re, part, to);
  }
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
               ElementwiseLowering<BitcastConvertOp>, IotaLowering,
               ElementwiseLowering<ComplexOp>, ElementwiseLowering<RealOp>,
               ElementwiseLowering<ImagOp>, ElementwiseLowering<ConjOp>>(
      converter, patterns.getContext());
}
