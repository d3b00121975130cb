//===- MlaxSortOps.cpp - sort and top_k verifiers -------------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

using namespace mlir;
using namespace mlax;

LogicalResult SortOp::verify() {
  if (getInputs().empty())
    return emitOpError("(C1) needs at least one operand");
  auto first = cast<RankedTensorType>(getInputs()[0].getType());
  for (Value v : getInputs()) {
    auto t = cast<RankedTensorType>(v.getType());
    if (t.getShape() != first.getShape())
      return emitOpError("(C2) operands must share one shape, got ")
             << first << " and " << t;
  }
  int64_t d = getDimension();
  if (d < 0 || d >= first.getRank())
    return emitOpError("(C3) dimension ")
           << d << " is out of range for rank " << first.getRank();
  int64_t k = getNumKeys();
  if (k < 1 || k > (int64_t)getInputs().size())
    return emitOpError("(C4) num_keys ")
           << k << " must be in [1, " << getInputs().size() << "]";
  if (getResults().size() != getInputs().size())
    return emitOpError("(C5) has ") << getInputs().size() << " operands but "
                                    << getResults().size() << " results";
  for (auto [i, pair] : llvm::enumerate(
           llvm::zip(getInputs().getTypes(), getResults().getTypes())))
    if (std::get<0>(pair) != std::get<1>(pair))
      return emitOpError("(C5) result ")
             << i << " must have type " << std::get<0>(pair) << ", got "
             << std::get<1>(pair);
  return success();
}

LogicalResult TopKOp::verify() {
  auto type = getOperand().getType();
  if (type.getRank() < 1)
    return emitOpError("(C1) needs an operand of rank >= 1, got ") << type;
  int64_t k = getK(), n = type.getShape().back();
  if (k < 0 || k > n)
    return emitOpError("(C2) k = ")
           << k << " must be in [0, " << n << "] (the last dimension)";
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = k;
  auto values = type.clone(shape);
  auto indices =
      RankedTensorType::get(shape, IntegerType::get(getContext(), 32));
  if (getValues().getType() != values)
    return emitOpError("(C3) values must have type ")
           << values << ", got " << getValues().getType();
  if (getIndices().getType() != indices)
    return emitOpError("(C3) indices must have type ")
           << indices << ", got " << getIndices().getType();
  return success();
}
