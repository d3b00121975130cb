//===- LowerToLinalgFloat64Math.cpp - f64 math without libm ---------------===//
//
// IREE's CPU backend links executables without libm. For f32 it expands every
// math op into polynomials, but for f64 it leaves calls to sin, cos, tan,
// tanh, cbrt, erf and atan2, which then fail to link, and it expands expm1
// and log1p naively (exp(x) - 1: 6e7 ulp off at 1e-8). These expansions
// build the f64 scalar bodies from arith ops and the math ops IREE expands
// accurately (exp, log, pow, roundeven), so x64 programs compile and agree
// with NumPy to a few ulp.
//
// Algorithms and coefficients:
//   expm1, log1p: Kahan's corrections, (u - 1) * x / log(u) with u = exp(x),
//     and log(u) * x / (u - 1) with u = 1 + x.
//   sin/cos/tan: Cody-Waite reduction by pi/2 in three parts, then fdlibm's
//     kernel polynomials on [-pi/4, pi/4]. Accurate (a few ulp) for
//     |x| < 2^20 * pi/2; beyond that the reduction loses bits, and past
//     2^30 an f64 result is NaN (XLA reduces exactly). Arguments widened
//     from f32/f16/bf16 (24 significant bits at most) past 2^18 are
//     reduced exactly instead, by Payne-Hanek in double-double.
//   tanh: -expm1(-2|x|) / (expm1(-2|x|) + 2), sign restored.
//   cbrt: pow(|x|, 1/3) plus one Newton step, sign restored.
//   atan2: the ratio min/max of |y|, |x| reduced to |u| <= tan(pi/8) with
//     atan(t) = pi/4 + atan((t-1)/(t+1)), fdlibm's atan polynomial, then the
//     octant restored.
//   rem (fmod): k = trunc(x / y), r = fma(-k, y, x), which is exact, then
//     one correction of y when x / y rounded across an integer. Exact for
//     |x / y| < 2^53 (C's fmod is exact everywhere).
//   erf: Cephes' rational approximations (erf on |x| <= 1, erfc on 1..6).
//   erf_inv: the f32 estimate plus three Newton steps, on erf in the middle
//     and on log(erfc) in the tails.
//
//===----------------------------------------------------------------------===//

#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;

namespace {

/// Small arith builder for f64 scalar expressions.
struct F64Builder {
  OpBuilder &b;
  Location loc;

  Type type() { return b.getF64Type(); }
  Value c(double v) { return mlax::scalarConstant(b, loc, type(), v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value abs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value copySign(Value x, Value s) {
    return math::CopySignOp::create(b, loc, x, s);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  /// Horner: coeffs[0] * z^n + ... + coeffs[n].
  Value poly(Value z, ArrayRef<double> coeffs) {
    Value p = c(coeffs.front());
    for (double coeff : coeffs.drop_front())
      p = add(mul(p, z), c(coeff));
    return p;
  }
  /// Horner with an implicit leading coefficient 1 (Cephes' p1evl).
  Value poly1(Value z, ArrayRef<double> coeffs) {
    Value p = add(z, c(coeffs.front()));
    for (double coeff : coeffs.drop_front())
      p = add(mul(p, z), c(coeff));
    return p;
  }
  Value signBit(Value x) {
    Value bits = arith::BitcastOp::create(b, loc, b.getI64Type(), x);
    Value zero = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bits, zero);
  }
};

/// x reduced to r in [-pi/4, pi/4] with x = k * pi/2 + r; returns r and the
/// quadrant k mod 4 (as i64).
std::pair<Value, Value> reduceByHalfPi(F64Builder &e, Value x) {
  // pi/2 split so that k * part is exact for |k| < 2^20.
  const double kHalfPi1 = 1.57079632673412561417e+00;
  const double kHalfPi2 = 6.07710050630396597660e-11;
  const double kHalfPi3 = 2.02226624871116645580e-21;
  const double kTwoOverPi = 6.36619772367581382433e-01;
  Value k = math::RoundEvenOp::create(e.b, e.loc, e.mul(x, e.c(kTwoOverPi)));
  Value r = e.sub(x, e.mul(k, e.c(kHalfPi1)));
  r = e.sub(r, e.mul(k, e.c(kHalfPi2)));
  r = e.sub(r, e.mul(k, e.c(kHalfPi3)));
  Value ki = arith::FPToSIOp::create(e.b, e.loc, e.b.getI64Type(), k);
  Value three = arith::ConstantOp::create(e.b, e.loc, e.b.getI64IntegerAttr(3));
  return {r, arith::AndIOp::create(e.b, e.loc, ki, three)};
}

/// x reduced as reduceByHalfPi, exactly, for an x with at most 24
/// significant bits (an f32, f16 or bf16 value) of any size: Payne-Hanek in
/// floating point. 2/pi is split into 24-bit chunks C_j, so |x| * C_j is
/// exact in f64 and so is its remainder mod 4 (p - 4 floor(p / 4)); the
/// remainders are summed in double-double (TwoSum) and the quadrant is the
/// nearest integer of the sum. Ten chunks (240 bits) cover |x| < 2^128
/// with the worst f32 cancellation (r near 2^-30) to spare.
std::pair<Value, Value> reduceNarrowByHalfPi(F64Builder &e, Value x) {
  // fdlibm's ipio2: 2/pi = sum of kTwoOverPiChunks[j] * 2^(-24 (j + 1)).
  static const uint32_t kTwoOverPiChunks[] = {
      0xA2F983, 0x6E4E44, 0x1529FC, 0x2757D1, 0xF534DD,
      0xC0DB62, 0x95993C, 0x439041, 0xFE5163, 0xABDEBB};
  Value a = e.abs(x);
  auto mod4 = [&](Value p) {
    Value q = math::FloorOp::create(e.b, e.loc, e.mul(p, e.c(0.25)));
    return e.sub(p, e.mul(q, e.c(4.0)));
  };
  Value hi, lo = e.c(0.0);
  for (auto [j, chunk] : llvm::enumerate(kTwoOverPiChunks)) {
    Value t = mod4(e.mul(a, e.c(std::ldexp(double(chunk), -24 * int(j + 1)))));
    if (!hi) {
      hi = t;
      continue;
    }
    Value s = e.add(hi, t);
    Value tRounded = e.sub(s, hi);
    Value err = e.add(e.sub(hi, e.sub(s, tRounded)), e.sub(t, tRounded));
    hi = s;
    lo = e.add(lo, err);
  }
  hi = mod4(hi);
  Value n = math::RoundEvenOp::create(e.b, e.loc, hi);
  Value r = e.mul(e.add(e.sub(hi, n), lo), e.c(1.57079632679489655800e+00));
  Value ni = arith::FPToSIOp::create(e.b, e.loc, e.b.getI64Type(), n);
  // x < 0: x = -n pi/2 - r.
  Value negative = e.cmp(arith::CmpFPredicate::OLT, x, e.c(0.0));
  Value zero = arith::ConstantOp::create(e.b, e.loc, e.b.getI64IntegerAttr(0));
  ni = e.select(negative, arith::SubIOp::create(e.b, e.loc, zero, ni), ni);
  Value three = arith::ConstantOp::create(e.b, e.loc, e.b.getI64IntegerAttr(3));
  return {e.select(negative, e.neg(r), r),
          arith::AndIOp::create(e.b, e.loc, ni, three)};
}

/// reduceByHalfPi, or for a narrow input (at most 24 significant bits)
/// reduceNarrowByHalfPi past 2^18, where the three-part reduction starts to
/// lose bits.
std::pair<Value, Value> reduceTrigArgument(F64Builder &e, Value x,
                                           bool narrow) {
  auto [r, quadrant] = reduceByHalfPi(e, x);
  if (!narrow)
    return {r, quadrant};
  auto [rBig, quadrantBig] = reduceNarrowByHalfPi(e, x);
  Value big = e.cmp(arith::CmpFPredicate::OGT, e.abs(x), e.c(0x1p18));
  return {e.select(big, rBig, r), e.select(big, quadrantBig, quadrant)};
}

/// fdlibm __kernel_sin with no tail: sin(r) for |r| <= pi/4.
Value sinKernel(F64Builder &e, Value r) {
  Value z = e.mul(r, r);
  Value p =
      e.poly(z, {1.58969099521155010221e-10, -2.50507602534068634195e-08,
                 2.75573137070700676789e-06, -1.98412698298579493134e-04,
                 8.33333333332248946124e-03, -1.66666666666666324348e-01});
  return e.add(r, e.mul(e.mul(z, r), p));
}

/// fdlibm __kernel_cos with no tail: cos(r) for |r| <= pi/4.
Value cosKernel(F64Builder &e, Value r) {
  Value z = e.mul(r, r);
  Value p =
      e.poly(z, {-1.13596475577881948265e-11, 2.08757232129817482790e-09,
                 -2.75573143513906633035e-07, 2.48015872894767294178e-05,
                 -1.38888888888741095749e-03, 4.16666666666666019037e-02});
  Value hz = e.mul(e.c(0.5), z);
  Value w = e.sub(e.c(1.0), hz);
  // w + ((1 - w) - hz) recovers the rounding error of 1 - z/2.
  return e.add(w, e.add(e.sub(e.sub(e.c(1.0), w), hz), e.mul(e.mul(z, z), p)));
}

Value quadrantIs(F64Builder &e, Value quadrant, int64_t q) {
  Value v = arith::ConstantOp::create(e.b, e.loc, e.b.getI64IntegerAttr(q));
  return arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq, quadrant,
                               v);
}

/// Picks values[quadrant] (quadrant in 0..3).
Value byQuadrant(F64Builder &e, Value quadrant, ArrayRef<Value> values) {
  Value result = values[3];
  for (int q = 2; q >= 0; --q)
    result = e.select(quadrantIs(e, quadrant, q), values[q], result);
  return result;
}

/// fdlibm's atan polynomial: atan(u) for |u| <= 7/16.
Value atanKernel(F64Builder &e, Value u) {
  Value z = e.mul(u, u);
  Value w = e.mul(z, z);
  Value even = e.mul(
      z, e.poly(w, {1.62858201153657823623e-02, 4.97687799461593236017e-02,
                    6.66107313738753120669e-02, 9.09088713343650656196e-02,
                    1.42857142725034663711e-01, 3.33333333333329318027e-01}));
  Value odd = e.mul(
      w, e.poly(w, {-3.65315727442169155270e-02, -5.83357013379057348645e-02,
                    -7.69187620504482999495e-02, -1.11111104054623557880e-01,
                    -1.99999999998764832476e-01}));
  return e.sub(u, e.mul(u, e.add(even, odd)));
}

/// Cephes: erf(x) = x T(x^2) / U(x^2) for |x| <= 1.
Value erfUpToOne(F64Builder &e, Value x) {
  Value z = e.mul(x, x);
  return e.div(
      e.mul(x, e.poly(z, {9.60497373987051638749E0, 9.00260197203842689217E1,
                          2.23200534594684319226E3, 7.00332514112805075473E3,
                          5.55923013010394962768E4})),
      e.poly1(z, {3.35617141647503099647E1, 5.21357949780152679795E2,
                  4.59432382970980127987E3, 2.26290000613890934246E4,
                  4.92673942608635921086E4}));
}

/// Cephes: erfc(a) = exp(-a^2) P(a) / Q(a) for 1 <= a <= 8.
Value erfcAboveOne(F64Builder &e, Value a) {
  Value p = e.poly(a, {2.46196981473530512524E-10, 5.64189564831068821977E-1,
                       7.46321056442269912687E0, 4.86371970985681366614E1,
                       1.96520832956077098242E2, 5.26445194995477358631E2,
                       9.34528527171957607540E2, 1.02755188689515710272E3,
                       5.57535335369399327526E2});
  Value q = e.poly1(a, {1.32281951154744992508E1, 8.67072140885989742329E1,
                        3.54937778887819891062E2, 9.75708501743205489753E2,
                        1.82390916687909736289E3, 2.24633760818710981792E3,
                        1.65666309194161350182E3, 5.57535340817727675546E2});
  Value expNegSquare = math::ExpOp::create(e.b, e.loc, e.neg(e.mul(a, a)));
  return e.mul(expNegSquare, e.div(p, q));
}

} // namespace

namespace mlax {

/// Past 2^30 the three-part reduction is meaningless (k * pi/2 loses all
/// of r), so an f64 result is NaN rather than garbage (narrow inputs were
/// reduced exactly); sin and tan keep the sign of a zero argument.
Value finishTrig(F64Builder &e, Value x, Value result, bool odd, bool narrow) {
  if (odd)
    result = e.select(e.cmp(arith::CmpFPredicate::OEQ, x, e.c(0.0)), x, result);
  if (narrow)
    return result;
  Value huge = e.cmp(arith::CmpFPredicate::OGT, e.abs(x), e.c(0x1p30));
  return e.select(huge, e.c(std::numeric_limits<double>::quiet_NaN()), result);
}

Value expandF64Sin(OpBuilder &b, Location loc, Value x, bool narrow) {
  F64Builder e{b, loc};
  auto [r, quadrant] = reduceTrigArgument(e, x, narrow);
  Value s = sinKernel(e, r), c = cosKernel(e, r);
  return finishTrig(e, x, byQuadrant(e, quadrant, {s, c, e.neg(s), e.neg(c)}),
                    /*odd=*/true, narrow);
}

Value expandF64Cos(OpBuilder &b, Location loc, Value x, bool narrow) {
  F64Builder e{b, loc};
  auto [r, quadrant] = reduceTrigArgument(e, x, narrow);
  Value s = sinKernel(e, r), c = cosKernel(e, r);
  return finishTrig(e, x, byQuadrant(e, quadrant, {c, e.neg(s), e.neg(c), s}),
                    /*odd=*/false, narrow);
}

Value expandF64Tan(OpBuilder &b, Location loc, Value x, bool narrow) {
  F64Builder e{b, loc};
  auto [r, quadrant] = reduceTrigArgument(e, x, narrow);
  Value s = sinKernel(e, r), c = cosKernel(e, r);
  Value even = e.div(s, c), odd = e.neg(e.div(c, s));
  return finishTrig(e, x, byQuadrant(e, quadrant, {even, odd, even, odd}),
                    /*odd=*/true, narrow);
}

Value expandF64Expm1(OpBuilder &b, Location loc, Value x) {
  F64Builder e{b, loc};
  Value u = math::ExpOp::create(b, loc, x);
  Value um1 = e.sub(u, e.c(1.0));
  // log(u) / x corrects the rounding of u; where u rounds to 1 or -1 or
  // overflows, u - 1 is already the answer (or x is).
  Value corrected = e.div(e.mul(um1, x), math::LogOp::create(b, loc, u));
  Value result =
      e.select(e.cmp(arith::CmpFPredicate::OEQ, u, e.c(1.0)), x, corrected);
  Value saturated = arith::OrIOp::create(
      b, loc, e.cmp(arith::CmpFPredicate::OEQ, um1, e.c(-1.0)),
      e.cmp(arith::CmpFPredicate::OEQ, u,
            e.c(std::numeric_limits<double>::infinity())));
  return e.select(saturated, um1, result);
}

Value expandF64Log1p(OpBuilder &b, Location loc, Value x) {
  F64Builder e{b, loc};
  Value u = e.add(x, e.c(1.0));
  Value um1 = e.sub(u, e.c(1.0));
  Value logU = math::LogOp::create(b, loc, u);
  Value corrected = e.mul(logU, e.div(x, um1));
  Value result =
      e.select(e.cmp(arith::CmpFPredicate::OEQ, u, e.c(1.0)), x, corrected);
  // At u = inf (and x = -1, where u - 1 = -1 is exact) log(u) is the answer.
  Value plain = e.cmp(arith::CmpFPredicate::OEQ, u,
                      e.c(std::numeric_limits<double>::infinity()));
  return e.select(plain, logU, result);
}

Value expandF64Tanh(OpBuilder &b, Location loc, Value x) {
  F64Builder e{b, loc};
  // Never overflows: expm1(-2|x|) lies in (-1, 0].
  Value t = expandF64Expm1(b, loc, e.mul(e.c(-2.0), e.abs(x)));
  return e.copySign(e.neg(e.div(t, e.add(t, e.c(2.0)))), x);
}

Value expandF64Cbrt(OpBuilder &b, Location loc, Value x) {
  F64Builder e{b, loc};
  // Inputs below 2^-900 are scaled by 2^162 first and the root back by 2^-54
  // (without it a subnormal input gave NaN; IREE's CPU runtime flushes them,
  // so they now give 0).
  Value ax = e.abs(x);
  Value tiny = e.cmp(arith::CmpFPredicate::OLT, ax, e.c(0x1p-900));
  Value scaled = e.select(tiny, e.mul(ax, e.c(0x1p162)), ax);
  Value y = math::PowFOp::create(b, loc, scaled, e.c(1.0 / 3.0));
  // One Newton step on y^3 = |x|; skipped at 0 and inf, where it gives NaN.
  Value y2 = e.mul(y, y);
  Value refined =
      e.sub(y, e.div(e.sub(e.mul(y2, y), scaled), e.mul(e.c(3.0), y2)));
  Value ordinary = e.cmp(arith::CmpFPredicate::ONE, scaled, e.c(0.0));
  ordinary = arith::AndIOp::create(
      b, loc, ordinary,
      e.cmp(arith::CmpFPredicate::ONE, scaled,
            e.c(std::numeric_limits<double>::infinity())));
  y = e.select(ordinary, refined, y);
  y = e.select(tiny, e.mul(y, e.c(0x1p-54)), y);
  return e.copySign(y, x);
}

Value expandF64Atan2(OpBuilder &b, Location loc, Value y, Value x) {
  F64Builder e{b, loc};
  const double kInf = std::numeric_limits<double>::infinity();
  Value ax = e.abs(x), ay = e.abs(y);
  Value lo = arith::MinimumFOp::create(b, loc, ax, ay);
  Value hi = arith::MaximumFOp::create(b, loc, ax, ay);
  // t = lo / hi in [0, 1]; 0/0 -> 0 and inf/inf -> 1 give the IEEE corner
  // cases (atan2(0, 0) = 0, atan2(inf, inf) = pi/4).
  Value t = e.div(lo, hi);
  t = e.select(e.cmp(arith::CmpFPredicate::OEQ, hi, e.c(0.0)), e.c(0.0), t);
  t = e.select(e.cmp(arith::CmpFPredicate::OEQ, lo, e.c(kInf)), e.c(1.0), t);
  // atan(t) = pi/4 + atan((t - 1) / (t + 1)) above tan(pi/8).
  Value far = e.cmp(arith::CmpFPredicate::OGT, t, e.c(0.41421356237309503));
  Value u = e.select(far, e.div(e.sub(t, e.c(1.0)), e.add(t, e.c(1.0))), t);
  Value a = atanKernel(e, u);
  a = e.select(far,
               e.add(e.c(7.85398163397448278999e-01),
                     e.add(a, e.c(3.06161699786838301793e-17))),
               a);
  // Octants: |y| > |x| reflects about pi/2; x < 0 (or -0) about pi.
  Value steep = e.cmp(arith::CmpFPredicate::OGT, ay, ax);
  a = e.select(steep,
               e.add(e.sub(e.c(1.57079632679489655800e+00), a),
                     e.c(6.12323399573676603587e-17)),
               a);
  a = e.select(e.signBit(x),
               e.add(e.sub(e.c(3.14159265358979311600e+00), a),
                     e.c(1.22464679914735317723e-16)),
               a);
  return e.copySign(a, y);
}

Value expandF64Erf(OpBuilder &b, Location loc, Value x) {
  F64Builder e{b, loc};
  Value ax = e.abs(x);
  // erf rounds to 1 past 6, so the argument of erfc is clamped there.
  Value a = arith::MinimumFOp::create(b, loc, ax, e.c(6.0));
  Value large = e.copySign(e.sub(e.c(1.0), erfcAboveOne(e, a)), x);
  // NaN fails the comparison and takes `large`, which is NaN too.
  return e.select(e.cmp(arith::CmpFPredicate::OLE, ax, e.c(1.0)),
                  erfUpToOne(e, x), large);
}

Value expandF64Rem(OpBuilder &b, Location loc, Value x, Value y) {
  F64Builder e{b, loc};
  Value k = math::TruncOp::create(b, loc, e.div(x, y));
  Value r = math::FmaOp::create(b, loc, e.neg(k), y, x);
  // The true remainder has x's sign and |r| < |y|; one step of |y| fixes a
  // quotient off by one, exactly (the sum is representable).
  Value ay = e.abs(y);
  Value wrongSign = arith::AndIOp::create(
      b, loc, e.cmp(arith::CmpFPredicate::ONE, r, e.c(0.0)),
      arith::XOrIOp::create(b, loc, e.signBit(r), e.signBit(x)));
  Value stepTowardX = e.copySign(ay, x);
  r = e.select(wrongSign, e.add(r, stepTowardX), r);
  Value tooLarge = e.cmp(arith::CmpFPredicate::OGE, e.abs(r), ay);
  r = e.select(tooLarge, e.sub(r, stepTowardX), r);
  // fmod(x, inf) = x; zero results keep x's sign.
  Value infiniteY = e.cmp(arith::CmpFPredicate::OEQ, ay,
                          e.c(std::numeric_limits<double>::infinity()));
  Value finiteX = e.cmp(arith::CmpFPredicate::ONE, e.abs(x),
                        e.c(std::numeric_limits<double>::infinity()));
  r = e.select(arith::AndIOp::create(b, loc, infiniteY, finiteX), x, r);
  return e.copySign(r, x);
}

Value refineF64ErfInv(OpBuilder &b, Location loc, Value x, Value y) {
  F64Builder e{b, loc};
  const double kHalfSqrtPi = 0.88622692545275801365;
  // Above |x| = 0.5 Newton runs on log(erfc(|y|)) = log(1 - |x|): 1 - |x| is
  // exact there, and log erfc is nearly quadratic, so it converges from the
  // f32 estimate even where that is poor (1 - |x| < 1e-7).
  Value ax = e.abs(x);
  Value tail = e.cmp(arith::CmpFPredicate::OGT, ax, e.c(0.5));
  Value logOneMinusAx = math::LogOp::create(b, loc, e.sub(e.c(1.0), ax));
  for (int step = 0; step < 3; ++step) {
    Value ay = e.abs(y);
    Value slopeInverse =
        e.mul(e.c(kHalfSqrtPi), math::ExpOp::create(b, loc, e.mul(y, y)));
    Value clamped = arith::MaximumFOp::create(
        b, loc, e.c(1.0), arith::MinimumFOp::create(b, loc, ay, e.c(8.0)));
    Value erfc =
        e.select(e.cmp(arith::CmpFPredicate::OLT, ay, e.c(1.0)),
                 e.sub(e.c(1.0), erfUpToOne(e, ay)), erfcAboveOne(e, clamped));
    Value logResidual = e.sub(math::LogOp::create(b, loc, erfc), logOneMinusAx);
    Value tailStep =
        e.copySign(e.add(ay, e.mul(e.mul(logResidual, erfc), slopeInverse)), x);
    Value centralStep =
        e.sub(y, e.mul(e.sub(expandF64Erf(b, loc, y), x), slopeInverse));
    y = e.select(tail, tailStep, centralStep);
  }
  // Below 1e-100 residuals would be subnormal, which IREE flushes to zero;
  // erf_inv(x) = x sqrt(pi) / 2 there to the last bit.
  Value tiny = e.cmp(arith::CmpFPredicate::OLT, ax, e.c(1e-100));
  return e.select(tiny, e.mul(x, e.c(kHalfSqrtPi)), y);
}

} // namespace mlax
