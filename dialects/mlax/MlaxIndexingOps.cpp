//===- MlaxIndexingOps.cpp - gather and scatter verifiers
//------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

using namespace mlir;
using namespace mlax;

/// (C1)-(C3) shared by gather and scatter: the index vectors and `dims`
/// agree with the operand; returns the shape of the gathered rows
/// (B... ++ the operand's other dimensions) in `rows`.
static LogicalResult verifyPoints(Operation *op, RankedTensorType operand,
                                  RankedTensorType indices,
                                  ArrayRef<int64_t> dims,
                                  SmallVectorImpl<int64_t> &rows) {
  if (indices.getRank() < 1)
    return op->emitOpError("(C1) indices need a last dimension of index "
                           "vectors, got ")
           << indices;
  int64_t depth = indices.getShape().back();
  if (depth != (int64_t)dims.size())
    return op->emitOpError("(C2) index vectors have ")
           << depth << " components for " << dims.size() << " dims";
  for (auto [k, d] : llvm::enumerate(dims)) {
    if (d < 0 || d >= operand.getRank() || (k > 0 && dims[k - 1] >= d))
      return op->emitOpError("(C3) dims must be increasing and within the "
                             "operand's rank ")
             << operand.getRank();
  }
  llvm::append_range(rows, indices.getShape().drop_back());
  for (int64_t d = 0; d < operand.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      rows.push_back(operand.getDimSize(d));
  return success();
}

LogicalResult GatherOp::verify() {
  SmallVector<int64_t> rows;
  if (failed(verifyPoints(*this, getOperand().getType(), getIndices().getType(),
                          getDims(), rows)))
    return failure();
  auto expected = getOperand().getType().clone(rows);
  if (getType() != expected)
    return emitOpError("(C4) result type must be ")
           << expected << ", got " << getType();
  if (auto fill = getFillValue()) {
    if (getMode() != IndexMode::fill)
      return emitOpError("(C5) fill_value needs mode = fill");
    // A complex gather fills with a real value (imaginary part 0).
    Type element = getType().getElementType();
    if (auto c = dyn_cast<ComplexType>(element))
      element = c.getElementType();
    if (fill->getType() != element)
      return emitOpError("(C5) fill_value type ")
             << fill->getType() << " differs from the element type "
             << getType().getElementType();
  }
  return success();
}

LogicalResult ScatterOp::verify() {
  SmallVector<int64_t> rows;
  if (failed(verifyPoints(*this, getOperand().getType(), getIndices().getType(),
                          getDims(), rows)))
    return failure();
  auto expected = getOperand().getType().clone(rows);
  if (getUpdates().getType() != expected)
    return emitOpError("(C4) updates type must be ")
           << expected << ", got " << getUpdates().getType();
  bool extremal =
      getKind() == ScatterKind::min || getKind() == ScatterKind::max;
  if (extremal && isa<ComplexType>(getOperand().getType().getElementType()))
    return emitOpError("(C5) complex values have no order for scatter ")
           << stringifyScatterKind(getKind());
  return success();
}
