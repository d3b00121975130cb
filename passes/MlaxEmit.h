//===- MlaxEmit.h - a small builder for mlax ops ----------------*- C++ -*-===//
//
// The ops the transformation rules (autodiff, batching) emit most, with
// their result types worked out.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_MLAXEMIT_H
#define MLAX_PASSES_MLAXEMIT_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/IR/Builders.h"

#include <complex>

namespace mlax {

using namespace mlir;

/// An op of a dialect mlax does not link (IREE's util ops), built by name;
/// the context must allow unregistered dialects.
inline Operation *createByName(OpBuilder &b, Location loc, StringRef name,
                               ValueRange operands, TypeRange types,
                               ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(types);
  state.addAttributes(attrs);
  return b.create(state);
}

/// `t` with a new leading dimension of `size` (a batch, or a stack of
/// loop iterations).
inline RankedTensorType withFront(Type t, int64_t size) {
  auto r = cast<RankedTensorType>(t);
  SmallVector<int64_t> shape = {size};
  llvm::append_range(shape, r.getShape());
  return r.clone(shape);
}

/// Small builder for the mlax ops the rules emit.
struct Emit {
  OpBuilder &b;
  Location loc;

  RankedTensorType type(Value v) { return cast<RankedTensorType>(v.getType()); }
  Value splat(RankedTensorType t, double v) {
    DenseElementsAttr attr;
    if (auto c = dyn_cast<ComplexType>(t.getElementType())) {
      // v + 0i, in the part's semantics.
      auto part = cast<FloatType>(c.getElementType());
      bool lost;
      APFloat re(v), im(0.0);
      re.convert(part.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      im.convert(part.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      std::complex<APFloat> value(re, im);
      attr = DenseElementsAttr::get(t, ArrayRef(value));
    } else {
      attr = DenseElementsAttr::get(t, b.getFloatAttr(t.getElementType(), v));
    }
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
  Value zeros(RankedTensorType t) {
    if (isa<FloatType, ComplexType>(t.getElementType()))
      return splat(t, 0);
    auto attr =
        DenseElementsAttr::get(t, b.getIntegerAttr(t.getElementType(), 0));
    return ConstantOp::create(b, loc, t, attr);
  }
  Value zerosLike(Value v) { return zeros(type(v)); }
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
    bool identity = true;
    for (auto [i, p] : llvm::enumerate(perm))
      identity &= p == static_cast<int64_t>(i);
    if (identity)
      return v;
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(type(v).getDimSize(p));
    return TransposeOp::create(b, loc, type(v).clone(shape), v, perm);
  }
  Value real(Value v) {
    auto c = cast<ComplexType>(type(v).getElementType());
    return RealOp::create(b, loc, type(v).clone(c.getElementType()), v);
  }
  Value imag(Value v) {
    auto c = cast<ComplexType>(type(v).getElementType());
    return ImagOp::create(b, loc, type(v).clone(c.getElementType()), v);
  }
  Value complex(Value re, Value im) {
    auto c = ComplexType::get(type(re).getElementType());
    return ComplexOp::create(b, loc, type(re).clone(c), re, im);
  }
  Value conj(Value v) { return ConjOp::create(b, loc, type(v), v); }
  /// `build` applied once to the real parts and once to the imaginary
  /// parts of complex values (`part` takes one value's part), recombined.
  Value onParts(function_ref<Value(function_ref<Value(Value)> part)> build) {
    Value re = build([&](Value v) { return real(v); });
    Value im = build([&](Value v) { return imag(v); });
    return complex(re, im);
  }
  Value convert(Value v, Type elementType) {
    auto t = type(v).clone(elementType);
    return t == type(v) ? v : (Value)ConvertOp::create(b, loc, t, v);
  }
};

} // namespace mlax

#endif // MLAX_PASSES_MLAXEMIT_H
