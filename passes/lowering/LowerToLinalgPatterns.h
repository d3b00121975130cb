//===- LowerToLinalgPatterns.h - pieces of mlax-lower-to-linalg -*- C++ -*-===//
//
// The pass is split by op family: elementwise ops (scalar rules wrapped in
// one linalg.generic builder) and structural ops (shape ops, reductions,
// dot_general). Both share the type converter and the helpers below.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_LOWERING_LOWERTOLINALGPATTERNS_H
#define MLAX_PASSES_LOWERING_LOWERTOLINALGPATTERNS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlax {

/// uiN -> iN (linalg and arith want signless integers); everything else kept.
class SignlessTypeConverter : public mlir::TypeConverter {
public:
  SignlessTypeConverter();
};

/// Builds `linalg.generic` producing `resultType` from `inputs` (each of the
/// result's shape, or 0-d and broadcast) with scalar body `body`.
mlir::Value buildElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
    mlir::ValueRange inputs,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange)>
        body);

/// Converts scalar `v` of mlax element type `from` to mlax element type `to`
/// (both unconverted: signedness comes from them; `v` is signless).
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                          mlir::Type from, mlir::Type to);

/// Reshapes `v` to `shape` (row-major) with collapse/expand_shape.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                          llvm::ArrayRef<int64_t> shape);

/// How a reduction (or a scatter) combines two elements.
enum class Combiner { Sum, Prod, Max, Min, And, Or };

/// `x (combiner) y` for (signless) scalars of mlax element type `t`
/// (signedness from `t`; booleans: or / and).
mlir::Value combine(mlir::OpBuilder &b, mlir::Location loc, Combiner combiner,
                    mlir::Type t, mlir::Value x, mlir::Value y);

/// The element `combiner` leaves unchanged, for mlax element type `t`
/// (signless type `signless`): 0, 1, -inf/+inf or the integer extremes.
mlir::Value reductionIdentity(mlir::OpBuilder &b, mlir::Location loc,
                              Combiner combiner, mlir::Type t,
                              mlir::Type signless);

/// An integer index as i64, extended by its mlax signedness.
mlir::Value toI64(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                  bool isUnsigned);

/// i64 index `v` clamped into [0, hi] (unsigned: only from above), as
/// lax's dynamic slices and gathers clamp.
mlir::Value clampI64(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                     mlir::Value hi, bool isUnsigned);

/// An uninitialized tensor of `type` (a destination for linalg ops).
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);

/// Scalar constant of (signless) type `type` holding `value`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// f64 scalar bodies for the math functions IREE's CPU backend would call
/// from libm (LowerToLinalgFloat64Math.cpp).
mlir::Value expandF64Sin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         bool narrow = false);
mlir::Value expandF64Cos(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         bool narrow = false);
mlir::Value expandF64Tan(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         bool narrow = false);
mlir::Value expandF64Expm1(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value x);
mlir::Value expandF64Log1p(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value x);
mlir::Value expandF64Tanh(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x);
mlir::Value expandF64Cbrt(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x);
mlir::Value expandF64Erf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
mlir::Value expandF64Rem(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         mlir::Value y);
/// Refines an f32-accurate estimate `y` of erf_inv(x) to f64 accuracy.
mlir::Value refineF64ErfInv(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, mlir::Value y);
mlir::Value expandF64Atan2(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value y, mlir::Value x);

void populateElementwiseLoweringPatterns(mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
void populateStructuralLoweringPatterns(mlir::TypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
void populateRandomLoweringPatterns(mlir::TypeConverter &converter,
                                    mlir::RewritePatternSet &patterns);
/// Sets `unroll` on the long scans with small bodies that are left at 1
/// (see LowerToLinalgControlFlow.cpp).
void chooseScanUnroll(mlir::Operation *root);
/// Unrolls the scf.for loops the scan lowering marked with its `unroll`.
void unrollMarkedLoops(mlir::Operation *root);
void populateControlFlowLoweringPatterns(mlir::TypeConverter &converter,
                                         mlir::RewritePatternSet &patterns);
void populateIndexingLoweringPatterns(mlir::TypeConverter &converter,
                                      mlir::RewritePatternSet &patterns);
void populateSortLoweringPatterns(mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);
void populateCumulativeLoweringPatterns(mlir::TypeConverter &converter,
                                        mlir::RewritePatternSet &patterns);
void populateCallbackLoweringPatterns(mlir::TypeConverter &converter,
                                      mlir::RewritePatternSet &patterns);

} // namespace mlax

#endif // MLAX_PASSES_LOWERING_LOWERTOLINALGPATTERNS_H
