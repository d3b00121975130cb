//===- DerivativeUtils.h - shared pieces of the derivative rules -*- C++
//-*-===//
//
// Helpers both rule tables (VjpRules.cpp, JvpRules.cpp) use, and the
// local derivative of every unary elementwise op, defined once in
// ElementwiseDerivatives.cpp: the VJP multiplies it into the cotangent, the
// JVP into the tangent.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H
#define MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H

#include "passes/MlaxEmit.h"
#include "passes/TransformRequests.h"

namespace mlax {

using namespace mlir;

/// dy/dx of a unary elementwise op `op` (y = op(x)), as mlax ops, or null
/// when `op` is not one of them.
Value unaryDerivative(Operation *op, Emit &e);

/// Float tensors carry derivatives; integer and boolean ones are inactive.
bool isDifferentiableType(Type type);

/// |x| of complex x: tangent t maps to real(t * c) and cotangent ct to
/// ct * c, with c = conj(x) / |x| (|x| = 0 read as 1, as JAX).
Value complexAbsFactor(Emit &e, Value x, Value y);

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

/// Index vectors [B..., K, rank] naming, for top_k's `indices`
/// [B..., K], the positions it picked from an operand [B..., N]: a gather
/// of them is take_along_axis on the last dimension.
Value topKPoints(Emit &e, Value indices);

/// What a scatter min/max's derivative divides among (JAX's rule): 1.0
/// where the operand equals the result `y` (else 0), the same for each
/// update row against the result row it went to, and their count per
/// result element (>= 1 where anything landed).
struct ScatterExtremal {
  Value operandWins, updateWins, count;
};
ScatterExtremal scatterExtremal(Emit &e, ScatterOp s);
/// `g` read at scatter `s`'s update rows (0 where an update was dropped).
Value gatherAtUpdates(Emit &e, ScatterOp s, Value g);

/// Sort's permutation: position i of the sorted `dim` came from position
/// perm[i] (i32, the keys' shape).
Value sortPermutation(Emit &e, SortOp sort);

/// cumprod, cummax, cummin and cumlogsumexp (`op`): the result's tangent
/// from the operand's `t`, and the operand's cotangent from the result's
/// `ct`, each a linear recurrence along the axis (CumulativeDerivatives.cpp).
Value cumulativeJvp(Emit &e, Operation *op, Value t);
Value cumulativeVjp(Emit &e, Operation *op, Value ct);

/// host_callback's rule (both modes): a debug callback sees the primal
/// values and passes no derivative on (it has no results); pure and io
/// callbacks have no derivative and fail with JAX's message.
LogicalResult hostCallbackDerivative(HostCallbackOp op);

} // namespace mlax

#endif // MLAX_PASSES_AUTODIFF_DERIVATIVEUTILS_H
