//===- DerivativeUtils.h - shared pieces of the derivative rules -*- C++
//-*-===//
//
// The op builder both rule tables (VjpRules.cpp, JvpRules.cpp) use, and the
// local derivative of every unary elementwise op, defined once in
// ElementwiseDerivatives.cpp: the VJP multiplies it into the cotangent, the
// JVP into the tangent.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H
#define MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/IR/Builders.h"

namespace mlax {

using namespace mlir;

/// Small builder for the mlax ops the rules emit.
struct Emit {
  OpBuilder &b;
  Location loc;

  RankedTensorType type(Value v) { return cast<RankedTensorType>(v.getType()); }
  Value splat(RankedTensorType t, double v) {
    auto attr =
        DenseElementsAttr::get(t, b.getFloatAttr(t.getElementType(), v));
    return ConstantOp::create(b, loc, t, attr);
  }
  Value like(Value v, double c) { return splat(type(v), c); }
  Value add(Value x, Value y) { return AddOp::create(b, loc, type(x), x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, type(x), x, y); }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, type(x), x, y); }
  Value div(Value x, Value y) { return DivOp::create(b, loc, type(x), x, y); }
  Value neg(Value x) { return NegOp::create(b, loc, type(x), x); }
  Value select(Value p, Value x, Value y) {
    return SelectOp::create(b, loc, type(x), p, x, y);
  }
  Value compare(ComparisonDirection d, Value x, Value y) {
    auto t = RankedTensorType::get(type(x).getShape(), b.getI1Type());
    return CompareOp::create(b, loc, t, x, y, d);
  }
  Value zerosLike(Value v) {
    auto t = type(v);
    if (isa<FloatType>(t.getElementType()))
      return like(v, 0);
    auto attr =
        DenseElementsAttr::get(t, b.getIntegerAttr(t.getElementType(), 0));
    return ConstantOp::create(b, loc, t, attr);
  }
  Value reshape(Value v, ArrayRef<int64_t> shape) {
    auto t = type(v).clone(shape);
    return t == type(v) ? v : (Value)ReshapeOp::create(b, loc, t, v);
  }
  Value broadcast(Value v, RankedTensorType to, ArrayRef<int64_t> dims) {
    if (type(v) == to)
      return v;
    return BroadcastInDimOp::create(b, loc, to.clone(type(v).getElementType()),
                                    v, dims);
  }
  Value reduceSum(Value v, ArrayRef<int64_t> axes) {
    if (axes.empty())
      return v;
    SmallVector<int64_t> shape;
    for (auto [i, d] : llvm::enumerate(type(v).getShape()))
      if (!llvm::is_contained(axes, (int64_t)i))
        shape.push_back(d);
    return ReduceSumOp::create(b, loc, type(v).clone(shape), v, axes);
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(type(v).getDimSize(p));
    return TransposeOp::create(b, loc, type(v).clone(shape), v, perm);
  }
  Value convert(Value v, Type elementType) {
    auto t = type(v).clone(elementType);
    return t == type(v) ? v : (Value)ConvertOp::create(b, loc, t, v);
  }
};

/// dy/dx of a unary elementwise op `op` (y = op(x)), as mlax ops, or null
/// when `op` is not one of them.
Value unaryDerivative(Operation *op, Emit &e);

/// Float tensors carry derivatives; integer and boolean ones are inactive.
bool isDifferentiableType(Type type);

/// trunc(a / b), the quotient rem subtracts (rem = a - b * trunc(a / b)).
Value truncQuotient(Emit &e, Value a, Value b);

/// The dimensions of `type` not in `axes`.
SmallVector<int64_t> keptDims(RankedTensorType type, ArrayRef<int64_t> axes);

/// Where clamp(min, x, max)'s derivative goes (JAX's rule), as i1 masks of
/// the result's shape: to x where min < x < max; to min where min > x and
/// min < max; to max where max < x.
struct ClampMasks {
  Value operand, min, max;
};
ClampMasks clampMasks(Emit &e, Value lo, Value x, Value hi);

/// Sums `g` (of the result's shape) down to a 0-d `bound`'s shape.
Value sumToBound(Emit &e, Value g, Value bound);

/// d reduce_prod(x, axes) / d x_i = the product of the other elements,
/// exact with zeros (no division where a zero is reduced).
Value prodPartials(Emit &e, Value x, ArrayRef<int64_t> axes);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H
