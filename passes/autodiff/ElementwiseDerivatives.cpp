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
  return tensor && isa<FloatType>(tensor.getElementType());
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
      .Case<AbsOp>([&](auto) { return (Value)SignOp::create(b, e.loc, t, x); })
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
