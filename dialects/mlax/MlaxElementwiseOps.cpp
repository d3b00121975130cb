//===- MlaxElementwiseOps.cpp - constant, conversions, elementwise ops ----===//
//
// Verifiers, type inference and folders for the ops of
// MlaxElementwiseOps.td. Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "dialects/mlax/MlaxVerifyUtils.h"

#include "mlir/Dialect/CommonFolders.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlax;

static RankedTensorType withElementType(Type type, Type elementType) {
  return cast<RankedTensorType>(type).clone(elementType);
}

//===----------------------------------------------------------------------===//
// constant, iota
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult IotaOp::verify() {
  auto type = getResult().getType();
  if (type.getRank() == 0)
    return emitOpError("(C1) result must have rank >= 1");
  // I64Attr getters return uint64_t; read the attribute as signed.
  int64_t dim = static_cast<int64_t>(getIotaDimension());
  if (dim < 0 || dim >= type.getRank())
    return emitOpError("(C2) iota_dimension ")
           << dim << " is out of range [0, " << type.getRank() << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// convert, bitcast_convert
//===----------------------------------------------------------------------===//

OpFoldResult ConvertOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

LogicalResult BitcastConvertOp::verify() {
  unsigned from = getOperand().getType().getElementTypeBitWidth();
  unsigned to = getType().getElementTypeBitWidth();
  if (from != to)
    return emitOpError("(C1) operand and result element types must have the "
                       "same bit width, got ")
           << from << " and " << to;
  return success();
}

//===----------------------------------------------------------------------===//
// unary
//===----------------------------------------------------------------------===//

LogicalResult IntegerPowOp::verify() {
  int64_t exponent = static_cast<int64_t>(getExponent());
  if (exponent < 0 &&
      !isa<FloatType, ComplexType>(getOperand().getType().getElementType()))
    return emitOpError("(C1) a negative exponent needs a floating-point "
                       "operand, got exponent ")
           << exponent;
  return success();
}

/// is_finite and compare: an i1 tensor of the first operand's shape.
static LogicalResult inferBoolResult(MLIRContext *context, ValueRange operands,
                                     SmallVectorImpl<Type> &inferred) {
  inferred.push_back(
      withElementType(operands[0].getType(), IntegerType::get(context, 1)));
  return success();
}

LogicalResult IsFiniteOp::inferReturnTypes(MLIRContext *context,
                                           std::optional<Location>,
                                           ValueRange operands, DictionaryAttr,
                                           OpaqueProperties, RegionRange,
                                           SmallVectorImpl<Type> &inferred) {
  return inferBoolResult(context, operands, inferred);
}

LogicalResult AbsOp::verify() {
  Type in = getOperand().getType().getElementType();
  Type want = in;
  if (auto c = dyn_cast<ComplexType>(in))
    want = c.getElementType();
  if (getType().getElementType() != want)
    return emitOpError("(C1) result element type must be ")
           << want << " for an operand of " << in << ", got "
           << getType().getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// complex, real, imag
//===----------------------------------------------------------------------===//

LogicalResult ComplexOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          ValueRange operands, DictionaryAttr,
                                          OpaqueProperties, RegionRange,
                                          SmallVectorImpl<Type> &inferred) {
  auto part = cast<ShapedType>(operands[0].getType());
  // Only f32 and f64 parts have a complex type; ODS then rejects the rest.
  inferred.push_back(
      withElementType(part, ComplexType::get(part.getElementType())));
  return success();
}

static LogicalResult inferPartResult(ValueRange operands,
                                     SmallVectorImpl<Type> &inferred) {
  auto type = cast<ShapedType>(operands[0].getType());
  auto complex = dyn_cast<ComplexType>(type.getElementType());
  if (!complex)
    return failure();
  inferred.push_back(withElementType(type, complex.getElementType()));
  return success();
}

LogicalResult RealOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       ValueRange operands, DictionaryAttr,
                                       OpaqueProperties, RegionRange,
                                       SmallVectorImpl<Type> &inferred) {
  return inferPartResult(operands, inferred);
}

LogicalResult ImagOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       ValueRange operands, DictionaryAttr,
                                       OpaqueProperties, RegionRange,
                                       SmallVectorImpl<Type> &inferred) {
  return inferPartResult(operands, inferred);
}

//===----------------------------------------------------------------------===//
// binary folders: constant folding plus the identities that are exact
//===----------------------------------------------------------------------===//

static bool isIntegerTensor(Value v) {
  return isa<IntegerType>(cast<ShapedType>(v.getType()).getElementType());
}

static bool isComplexTensor(Value v) {
  return isa<ComplexType>(cast<ShapedType>(v.getType()).getElementType());
}

/// Constant folding by element kind: the integer folder would read float
/// splats as APInt (an assertion), so each kind gets its own.
template <typename IntFn, typename FloatFn>
static Attribute foldConstantBinary(Value result, ArrayRef<Attribute> operands,
                                    IntFn intFn, FloatFn floatFn) {
  // Complex constants are left to IREE's folders.
  if (isComplexTensor(result))
    return {};
  if (isIntegerTensor(result))
    return constFoldBinaryOp<IntegerAttr, APInt, void>(operands, intFn);
  return constFoldBinaryOp<FloatAttr, APFloat, void>(operands, floatFn);
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  // add on i1 is logical or, which APInt addition would get wrong.
  if (getType().getElementType().isInteger(1))
    return {};
  // x + 0 -> x only for integers: -0.0 + 0.0 is +0.0.
  if (isIntegerTensor(getLhs()) && matchPattern(adaptor.getRhs(), m_Zero()))
    return getLhs();
  return foldConstantBinary(
      getResult(), adaptor.getOperands(),
      [](APInt a, const APInt &b) { return a + b; },
      [](APFloat a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isIntegerTensor(getLhs()) && matchPattern(adaptor.getRhs(), m_Zero()))
    return getLhs();
  return foldConstantBinary(
      getResult(), adaptor.getOperands(),
      [](APInt a, const APInt &b) { return a - b; },
      [](APFloat a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  // x * 1 -> x is exact for every type (NaN and -0.0 included). The
  // matcher must fit the element type: m_One asserts on float splats.
  if (isComplexTensor(getLhs()))
    return {};
  bool one = isIntegerTensor(getLhs())
                 ? matchPattern(adaptor.getRhs(), m_One())
                 : matchPattern(adaptor.getRhs(), m_OneFloat());
  if (one)
    return getLhs();
  return foldConstantBinary(
      getResult(), adaptor.getOperands(),
      [](APInt a, const APInt &b) { return a * b; },
      [](APFloat a, const APFloat &b) { return a * b; });
}

OpFoldResult MaxOp::fold(FoldAdaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return {};
}

OpFoldResult MinOp::fold(FoldAdaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return {};
}

//===----------------------------------------------------------------------===//
// compare, select, clamp
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location>,
                                          ValueRange operands, DictionaryAttr,
                                          OpaqueProperties, RegionRange,
                                          SmallVectorImpl<Type> &inferred) {
  return inferBoolResult(context, operands, inferred);
}

LogicalResult CompareOp::verify() {
  if (isComplexTensor(getLhs()) &&
      getComparisonDirection() != ComparisonDirection::EQ &&
      getComparisonDirection() != ComparisonDirection::NE)
    return emitOpError("(C1) complex operands compare only for EQ and NE, got ")
           << stringifyComparisonDirection(getComparisonDirection());
  return success();
}

LogicalResult SelectOp::verify() {
  auto predType = getPred().getType();
  auto valueType = getOnTrue().getType();
  if (predType.getRank() != 0 && predType.getShape() != valueType.getShape())
    return emitOpError("(C1) pred must be 0-d or have the shape of on_true, "
                       "got ")
           << predType << " and " << valueType;
  return success();
}

LogicalResult ClampOp::verify() {
  auto type = getOperand().getType();
  for (auto [name, bound] :
       {std::pair<StringRef, Value>{"min", getMin()}, {"max", getMax()}}) {
    auto boundType = cast<RankedTensorType>(bound.getType());
    if (boundType.getElementType() != type.getElementType())
      return emitOpError("(C1) ")
             << name << " must have element type " << type.getElementType()
             << ", got " << boundType.getElementType();
    if (boundType.getRank() != 0 && boundType.getShape() != type.getShape())
      return emitOpError("(C2) ")
             << name << " must be 0-d or have the operand's shape, got "
             << boundType << " and " << type;
  }
  return success();
}
