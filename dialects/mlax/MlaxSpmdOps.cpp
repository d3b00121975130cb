//===- MlaxSpmdOps.cpp - collectives, shard_map ---------------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "dialects/mlax/MlaxSharding.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlax;

namespace {

/// (C1)-(C3) of every collective: the axes are named once each, with one
/// size >= 1 each, and agree with the enclosing function's mesh if it has
/// one.
LogicalResult verifyAxes(Operation *op, ArrayAttr names,
                         ArrayRef<int64_t> sizes) {
  if (names.empty())
    return op->emitOpError("(C1) needs at least one axis name");
  llvm::StringSet<> seen;
  for (Attribute name : names)
    if (!seen.insert(cast<StringAttr>(name).getValue()).second)
      return op->emitOpError("(C1) axis '")
             << cast<StringAttr>(name).getValue() << "' is named twice";
  if (sizes.size() != names.size())
    return op->emitOpError("(C2) ")
           << names.size() << " axis names but " << sizes.size() << " sizes";
  for (int64_t size : sizes)
    if (size < 1)
      return op->emitOpError("(C2) axis sizes must be >= 1, got ") << size;
  auto func = op->getParentOfType<func::FuncOp>();
  auto meshAxes =
      func ? func->getAttrOfType<ArrayAttr>("mlax.mesh_axes") : ArrayAttr();
  auto meshShape =
      func ? func->getAttrOfType<DenseI64ArrayAttr>("mlax.mesh_shape")
           : DenseI64ArrayAttr();
  if (!meshAxes || !meshShape)
    return success();
  for (auto [name, size] : llvm::zip(names, sizes)) {
    auto it = llvm::find(meshAxes, name);
    if (it == meshAxes.end())
      return op->emitOpError("(C3) axis '")
             << cast<StringAttr>(name).getValue()
             << "' is not an axis of the mesh " << meshAxes;
    int64_t meshSize = meshShape[std::distance(meshAxes.begin(), it)];
    if (meshSize != size)
      return op->emitOpError("(C3) axis '")
             << cast<StringAttr>(name).getValue() << "' has size " << meshSize
             << " in the mesh, not " << size;
  }
  return success();
}

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

LogicalResult checkResultShape(Operation *op, RankedTensorType operand,
                               RankedTensorType result,
                               ArrayRef<int64_t> expected) {
  if (result.getElementType() != operand.getElementType())
    return op->emitOpError("(C5) result element type ")
           << result.getElementType() << " differs from the operand's "
           << operand.getElementType();
  if (result.getShape() != expected)
    return op->emitOpError("(C5) result shape must be [")
           << expected << "], got [" << result.getShape() << "]";
  return success();
}

} // namespace

LogicalResult PsumOp::verify() {
  if (failed(verifyAxes(*this, getAxisNames(), getAxisSizes())))
    return failure();
  Type element = getType().getElementType();
  bool logical =
      getReduction() == Reduction::AND || getReduction() == Reduction::OR;
  if (logical && !isa<IntegerType>(element))
    return emitOpError("(C4) an and/or reduction needs an integer or bool "
                       "operand, got ")
           << element;
  if (getReduction() == Reduction::SUM && element.isInteger(1))
    return emitOpError("(C4) a sum needs a numeric operand, got ") << element;
  return success();
}

LogicalResult AllGatherOp::verify() {
  if (failed(verifyAxes(*this, getAxisNames(), getAxisSizes())))
    return failure();
  auto type = tensorType(getOperand());
  int64_t dim = getDimension(), rank = type.getRank();
  bool tiled = getTiled();
  if (dim < 0 || dim > rank - (tiled ? 1 : 0))
    return emitOpError("(C4) dimension ")
           << dim << " is out of range for a " << (tiled ? "tiled" : "stacked")
           << " gather of rank " << rank;
  SmallVector<int64_t> shape(type.getShape());
  if (tiled)
    shape[dim] *= getGroupSize();
  else
    shape.insert(shape.begin() + dim, getGroupSize());
  return checkResultShape(*this, type, getType(), shape);
}

LogicalResult PsumScatterOp::verify() {
  if (failed(verifyAxes(*this, getAxisNames(), getAxisSizes())))
    return failure();
  auto type = tensorType(getOperand());
  int64_t dim = getDimension(), rank = type.getRank(), n = getGroupSize();
  if (dim < 0 || dim >= rank)
    return emitOpError("(C4) dimension ")
           << dim << " is out of range [0, " << rank << ")";
  SmallVector<int64_t> shape(type.getShape());
  if (getTiled()) {
    if (shape[dim] % n != 0)
      return emitOpError("(C4) dimension ")
             << dim << " of size " << shape[dim]
             << " does not split evenly over " << n << " devices";
    shape[dim] /= n;
  } else {
    if (shape[dim] != n)
      return emitOpError("(C4) dimension ")
             << dim << " must have the group size " << n << ", got "
             << shape[dim];
    shape.erase(shape.begin() + dim);
  }
  return checkResultShape(*this, type, getType(), shape);
}

LogicalResult AllToAllOp::verify() {
  if (failed(verifyAxes(*this, getAxisNames(), getAxisSizes())))
    return failure();
  auto type = tensorType(getOperand());
  int64_t split = getSplitDimension(), concat = getConcatDimension();
  int64_t rank = type.getRank(), n = getGroupSize();
  for (int64_t d : {split, concat})
    if (d < 0 || d >= rank)
      return emitOpError("(C4) dimension ")
             << d << " is out of range [0, " << rank << ")";
  SmallVector<int64_t> shape(type.getShape());
  if (shape[split] % n != 0)
    return emitOpError("(C4) split dimension ")
           << split << " of size " << shape[split]
           << " does not split evenly over " << n << " devices";
  shape[split] /= n;
  shape[concat] *= n;
  return checkResultShape(*this, type, getType(), shape);
}

LogicalResult PpermuteOp::verify() {
  if (failed(verifyAxes(*this, getAxisNames(), getAxisSizes())))
    return failure();
  ArrayRef<int64_t> pairs = getPairs();
  int64_t n = getGroupSize();
  if (pairs.size() % 2 != 0)
    return emitOpError("(C4) pairs must hold (source, target) pairs, got ")
           << pairs.size() << " entries";
  llvm::SmallDenseSet<int64_t> sources, targets;
  for (size_t i = 0; i < pairs.size(); i += 2) {
    for (int64_t index : {pairs[i], pairs[i + 1]})
      if (index < 0 || index >= n)
        return emitOpError("(C4) device index ")
               << index << " is out of range [0, " << n << ")";
    if (!sources.insert(pairs[i]).second)
      return emitOpError("(C4) source ") << pairs[i] << " appears twice";
    if (!targets.insert(pairs[i + 1]).second)
      return emitOpError("(C4) target ") << pairs[i + 1] << " appears twice";
  }
  return success();
}

LogicalResult AxisIndexOp::verify() {
  return verifyAxes(*this, getAxisNames(), getAxisSizes());
}

//===----------------------------------------------------------------------===//
// shard_map
//===----------------------------------------------------------------------===//

LogicalResult ShardMapOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("(C1) '")
           << getCallee() << "' does not name a func.func";
  auto err = [&](StringRef label) {
    return [this, label] { return emitOpError(label); };
  };
  if (failed(verifyMesh(err("(C2) "), getMeshAxes(), getMeshShape())))
    return failure();
  Mesh mesh = *Mesh::of(*this);
  FunctionType type = callee.getFunctionType();
  auto check = [&](StringRef what, ArrayAttr specs, TypeRange global,
                   TypeRange local) -> LogicalResult {
    if (specs.size() != global.size() || local.size() != global.size())
      return emitOpError("(C3) ")
             << what << " has " << specs.size() << " specs for "
             << global.size() << " values and a callee with " << local.size();
    for (auto [i, spec, g, l] : llvm::enumerate(specs, global, local)) {
      RankedTensorType block;
      if (failed(verifySpec(err("(C4) "), what + "[" + Twine(i) + "]", spec,
                            cast<RankedTensorType>(g), mesh, &block)))
        return failure();
      if (l != block)
        return emitOpError("(C5) ")
               << what << "[" << i << "]: the callee's block must be " << block
               << ", got " << l;
    }
    return success();
  };
  if (failed(check("in_specs", getInSpecs(), getInputs().getTypes(),
                   type.getInputs())))
    return failure();
  return check("out_specs", getOutSpecs(), getOutputs().getTypes(),
               type.getResults());
}

LogicalResult ShardingConstraintOp::verify() {
  auto err = [this](StringRef label) {
    return [this, label] { return emitOpError(label); };
  };
  if (failed(verifyMesh(err("(C1) "), getMeshAxes(), getMeshShape())))
    return failure();
  return verifySpec(err("(C2) "), "sharding", getSharding(), getType(),
                    *Mesh::of(*this));
}
