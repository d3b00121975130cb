//===- CumulativeDerivatives.cpp - cumprod, cummax, cummin, cumlogsumexp --===//
//
// The tangent of each of these ops is a first-order linear recurrence along
// the scanned axis (forward; from the end when reversed), with y_{-1} = 0:
//
//   dy_i = a_i * dy_{i-1} + c_i * t_i
//
//   cumprod:       a = x,                 c = the exclusive cumprod of x
//                  (exact with zeros: nothing divides by x);
//   cummax/cummin: a = 1 - m, c = m,      m = (x == y): the tangent of the
//                  latest element equal to the running extreme (on exact
//                  ties that one element's, where JAX's associative_scan
//                  tree splits it); 0 from the first NaN on, as JAX;
//   cumlogsumexp:  a = exp(y_{i-1} - y_i), c = exp(x - y): both <= 1, so
//                  nothing overflows.
//
// The recurrence is evaluated with a log-step (Hillis-Steele) scan of (a, b)
// pairs built from slices, concatenations, mul and add, so the rules stay
// differentiable to any order. Its transpose (the VJP) is the recurrence in
// the other direction with a shifted one place: g_i = ct_i + a_{i+1} g_{i+1}.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/DerivativeUtils.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlax;

namespace {

/// `v[lo:hi]` along `axis`.
Value sliceAlong(Emit &e, Value v, int64_t axis, int64_t lo, int64_t hi) {
  auto type = e.type(v);
  if (lo == 0 && hi == type.getDimSize(axis))
    return v;
  SmallVector<int64_t> start(type.getRank(), 0), limit(type.getShape()),
      strides(type.getRank(), 1), shape(type.getShape());
  start[axis] = lo;
  limit[axis] = hi;
  shape[axis] = hi - lo;
  return SliceOp::create(e.b, e.loc, type.clone(shape), v, start, limit,
                         strides);
}

Value concatAlong(Emit &e, Value first, Value second, int64_t axis) {
  auto type = e.type(first);
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] += e.type(second).getDimSize(axis);
  return ConcatenateOp::create(e.b, e.loc, type.clone(shape),
                               ValueRange{first, second}, axis);
}

/// `v` moved `s` places toward the end (toward the start when `back`), the
/// places it leaves taken from `fill` (of `v`'s type).
Value shifted(Emit &e, Value v, Value fill, int64_t axis, int64_t s,
              bool back) {
  int64_t n = e.type(v).getDimSize(axis);
  if (back)
    return concatAlong(e, sliceAlong(e, v, axis, s, n),
                       sliceAlong(e, fill, axis, n - s, n), axis);
  return concatAlong(e, sliceAlong(e, fill, axis, 0, s),
                     sliceAlong(e, v, axis, 0, n - s), axis);
}

/// y_i = a_i * y_{i-1} + b_i along `axis` (y_{i+1} when `reverse`), from
/// y = 0 before the first element; a at the first element is never read.
Value linearRecurrence(Emit &e, Value a, Value b, int64_t axis, bool reverse) {
  int64_t n = e.type(b).getDimSize(axis);
  for (int64_t s = 1; s < n; s *= 2) {
    // The positions that take in an earlier window, and those windows.
    auto later = [&](Value v) {
      return reverse ? sliceAlong(e, v, axis, 0, n - s)
                     : sliceAlong(e, v, axis, s, n);
    };
    auto earlier = [&](Value v) {
      return reverse ? sliceAlong(e, v, axis, s, n)
                     : sliceAlong(e, v, axis, 0, n - s);
    };
    auto untouched = [&](Value v) {
      return reverse ? sliceAlong(e, v, axis, n - s, n)
                     : sliceAlong(e, v, axis, 0, s);
    };
    auto join = [&](Value kept, Value updated) {
      return reverse ? concatAlong(e, updated, kept, axis)
                     : concatAlong(e, kept, updated, axis);
    };
    Value aLater = later(a);
    Value bNew = join(untouched(b), e.add(later(b), e.mul(aLater, earlier(b))));
    if (2 * s < n)
      a = join(untouched(a), e.mul(aLater, earlier(a)));
    b = bNew;
  }
  return b;
}

/// The recurrence's coefficients for cumulative op `op`, and the mask of
/// positions whose tangent is zero (cummax/cummin past a NaN), or null.
struct Recurrence {
  Value a, c, dead;
};

Recurrence recurrenceOf(Emit &e, Operation *op, int64_t axis, bool reverse) {
  Value x = op->getOperand(0), y = op->getResult(0);
  if (isa<CumprodOp>(op))
    return {x, shifted(e, y, e.like(y, 1), axis, 1, reverse), Value()};
  if (isa<CumlogsumexpOp>(op)) {
    // a at the first element is never read: any fill will do.
    Value before = shifted(e, y, y, axis, 1, reverse);
    return {ExpOp::create(e.b, e.loc, e.type(y), e.sub(before, y)),
            ExpOp::create(e.b, e.loc, e.type(y), e.sub(x, y)), Value()};
  }
  Value m = e.convert(e.compare(ComparisonDirection::EQ, x, y),
                      e.type(y).getElementType());
  return {e.sub(e.like(y, 1), m), m, e.compare(ComparisonDirection::NE, y, y)};
}

std::pair<int64_t, bool> axisOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::pair<int64_t, bool>>(op)
      .Case<CumprodOp, CummaxOp, CumminOp, CumlogsumexpOp>([](auto c) {
        return std::make_pair((int64_t)c.getAxis(), c.getReverse());
      });
}

} // namespace

Value mlax::cumulativeJvp(Emit &e, Operation *op, Value t) {
  auto [axis, reverse] = axisOf(op);
  if (e.type(t).getDimSize(axis) < 2 || e.type(t).getNumElements() == 0)
    return t;
  Recurrence r = recurrenceOf(e, op, axis, reverse);
  Value dy = linearRecurrence(e, r.a, e.mul(r.c, t), axis, reverse);
  return r.dead ? e.select(r.dead, e.zerosLike(dy), dy) : dy;
}

Value mlax::cumulativeVjp(Emit &e, Operation *op, Value ct) {
  auto [axis, reverse] = axisOf(op);
  if (e.type(ct).getDimSize(axis) < 2 || e.type(ct).getNumElements() == 0)
    return ct;
  Recurrence r = recurrenceOf(e, op, axis, reverse);
  if (r.dead)
    ct = e.select(r.dead, e.zerosLike(ct), ct);
  // g_i = ct_i + a_{i+1} g_{i+1} (mirrored when reversed).
  Value a = shifted(e, r.a, r.a, axis, 1, !reverse);
  return e.mul(r.c, linearRecurrence(e, a, ct, axis, !reverse));
}
