//===- MlaxReductionOps.cpp - reductions, arg-reductions, dot_general -----===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "dialects/mlax/MlaxVerifyUtils.h"

using namespace mlir;
using namespace mlax;

//===----------------------------------------------------------------------===//
// reduce_{sum,prod,max,min,and,or}
//===----------------------------------------------------------------------===//

/// Result type of reducing `operand` over `axes`, or failure with a
/// diagnostic at `loc`.
static LogicalResult inferReduceType(std::optional<Location> loc, Value operand,
                                     ArrayRef<int64_t> axes,
                                     SmallVectorImpl<Type> &inferred) {
  auto type = cast<RankedTensorType>(operand.getType());
  std::string error = checkDimensionList(axes, type.getRank(), "axis");
  if (!error.empty())
    return emitOptionalError(loc, "(C1) ", error);
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(type.getDimSize(d));
  inferred.push_back(type.clone(shape));
  return success();
}

#define MLAX_DEFINE_REDUCE_INFERENCE(OP)                                       \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, ValueRange operands,         \
      DictionaryAttr attributes, OpaqueProperties properties,                  \
      RegionRange regions, SmallVectorImpl<Type> &inferred) {                  \
    OP::Adaptor adaptor(operands, attributes, properties, regions);            \
    return inferReduceType(loc, adaptor.getOperand(), adaptor.getAxes(),       \
                           inferred);                                          \
  }

MLAX_DEFINE_REDUCE_INFERENCE(ReduceSumOp)
MLAX_DEFINE_REDUCE_INFERENCE(ReduceProdOp)
MLAX_DEFINE_REDUCE_INFERENCE(ReduceMaxOp)
MLAX_DEFINE_REDUCE_INFERENCE(ReduceMinOp)
MLAX_DEFINE_REDUCE_INFERENCE(ReduceAndOp)
MLAX_DEFINE_REDUCE_INFERENCE(ReduceOrOp)
#undef MLAX_DEFINE_REDUCE_INFERENCE

//===----------------------------------------------------------------------===//
// argmax, argmin
//===----------------------------------------------------------------------===//

template <typename ArgOp> static LogicalResult verifyArgReduce(ArgOp op) {
  auto type = op.getOperand().getType();
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0 || axis >= type.getRank())
    return op.emitOpError("(C1) axis ")
           << axis << " is out of range [0, " << type.getRank() << ")";
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  if (op.getType().getShape() != ArrayRef<int64_t>(shape))
    return op.emitOpError("(C2) result shape must be the operand shape "
                          "without the axis, expected ")
           << RankedTensorType::get(shape, op.getType().getElementType());
  return success();
}

LogicalResult ArgMaxOp::verify() { return verifyArgReduce(*this); }
LogicalResult ArgMinOp::verify() { return verifyArgReduce(*this); }

/// cumsum, cumprod, cummax, cummin, cumlogsumexp: (C1) the axis names a
/// dimension.
static LogicalResult verifyCumulative(Operation *op, RankedTensorType type,
                                      int64_t axis) {
  int64_t rank = type.getRank();
  if (axis < 0 || axis >= rank)
    return op->emitOpError("(C1) axis ")
           << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult CumsumOp::verify() {
  return verifyCumulative(*this, getOperand().getType(), getAxis());
}
LogicalResult CumprodOp::verify() {
  return verifyCumulative(*this, getOperand().getType(), getAxis());
}
LogicalResult CummaxOp::verify() {
  return verifyCumulative(*this, getOperand().getType(), getAxis());
}
LogicalResult CumminOp::verify() {
  return verifyCumulative(*this, getOperand().getType(), getAxis());
}
LogicalResult CumlogsumexpOp::verify() {
  return verifyCumulative(*this, getOperand().getType(), getAxis());
}

//===----------------------------------------------------------------------===//
// dot_general
//===----------------------------------------------------------------------===//

LogicalResult DotGeneralOp::verify() {
  auto lhsType = getLhs().getType(), rhsType = getRhs().getType();
  ArrayRef<int64_t> lhsBatch = getLhsBatchingDimensions();
  ArrayRef<int64_t> rhsBatch = getRhsBatchingDimensions();
  ArrayRef<int64_t> lhsContract = getLhsContractingDimensions();
  ArrayRef<int64_t> rhsContract = getRhsContractingDimensions();
  if (lhsBatch.size() != rhsBatch.size())
    return emitOpError("(C1) lhs and rhs have ")
           << lhsBatch.size() << " and " << rhsBatch.size()
           << " batching dimensions";
  if (lhsContract.size() != rhsContract.size())
    return emitOpError("(C2) lhs and rhs have ")
           << lhsContract.size() << " and " << rhsContract.size()
           << " contracting dimensions";
  SmallVector<int64_t> lhsDims(lhsBatch), rhsDims(rhsBatch);
  llvm::append_range(lhsDims, lhsContract);
  llvm::append_range(rhsDims, rhsContract);
  std::string error =
      checkDimensionList(lhsDims, lhsType.getRank(), "lhs dimension");
  if (error.empty())
    error = checkDimensionList(rhsDims, rhsType.getRank(), "rhs dimension");
  if (!error.empty())
    return emitOpError("(C3) ") << error;
  for (auto [l, r] : llvm::zip(lhsDims, rhsDims))
    if (lhsType.getDimSize(l) != rhsType.getDimSize(r))
      return emitOpError("(C4) lhs dimension ")
             << l << " (size " << lhsType.getDimSize(l)
             << ") does not match rhs dimension " << r << " (size "
             << rhsType.getDimSize(r) << ") for lhs " << lhsType << " and rhs "
             << rhsType;
  if (lhsType.getElementType() != rhsType.getElementType())
    return emitOpError("(C5) lhs and rhs element types differ: ")
           << lhsType.getElementType() << " vs " << rhsType.getElementType();
  // As lax: float operands need a float result; integer operands may give
  // an integer or a float, but signed operands no unsigned result.
  Type inElem = lhsType.getElementType(), outElem = getType().getElementType();
  if (isa<ComplexType>(inElem) != isa<ComplexType>(outElem))
    return emitOpError("(C7) complex operands need a complex result element "
                       "type and only they give one, got ")
           << inElem << " -> " << outElem;
  if (isa<FloatType>(inElem) && !isa<FloatType>(outElem))
    return emitOpError("(C7) float operands need a float result element "
                       "type, got ")
           << outElem;
  if (inElem.isSignedInteger() || inElem.isSignlessInteger())
    if (outElem.isUnsignedInteger())
      return emitOpError("(C7) signed integer operands cannot give an "
                         "unsigned result element type, got ")
             << outElem;
  SmallVector<int64_t> shape;
  for (int64_t d : lhsBatch)
    shape.push_back(lhsType.getDimSize(d));
  for (int64_t d = 0; d < lhsType.getRank(); ++d)
    if (!llvm::is_contained(lhsDims, d))
      shape.push_back(lhsType.getDimSize(d));
  for (int64_t d = 0; d < rhsType.getRank(); ++d)
    if (!llvm::is_contained(rhsDims, d))
      shape.push_back(rhsType.getDimSize(d));
  if (getType().getShape() != ArrayRef<int64_t>(shape))
    return emitOpError("(C6) result shape must be batch + lhs free + rhs free "
                       "dimensions, expected ")
           << RankedTensorType::get(shape, getType().getElementType());
  return success();
}
