//===- MlaxShapeOps.cpp - structural ops: verifiers, inference, folders ---===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "dialects/mlax/MlaxVerifyUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlax;

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

//===----------------------------------------------------------------------===//
// broadcast_in_dim
//===----------------------------------------------------------------------===//

LogicalResult BroadcastInDimOp::verify() {
  auto operandType = getOperand().getType();
  auto resultType = getType();
  ArrayRef<int64_t> dims = getBroadcastDimensions();
  if (operandType.getElementType() != resultType.getElementType())
    return emitOpError("(C1) operand and result element types differ: ")
           << operandType.getElementType() << " vs "
           << resultType.getElementType();
  if ((int64_t)dims.size() != operandType.getRank())
    return emitOpError("(C2) broadcast_dimensions has ")
           << dims.size() << " entries, operand rank is "
           << operandType.getRank();
  std::string error =
      checkDimensionList(dims, resultType.getRank(), "broadcast dimension");
  if (!error.empty())
    return emitOpError("(C3) ") << error;
  for (auto [i, d] : llvm::enumerate(dims)) {
    int64_t from = operandType.getDimSize(i), to = resultType.getDimSize(d);
    if (from != 1 && from != to)
      return emitOpError("(C4) operand dimension ")
             << i << " of size " << from << " cannot broadcast to result "
             << "dimension " << d << " of size " << to;
  }
  return success();
}

OpFoldResult BroadcastInDimOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType() &&
      llvm::equal(getBroadcastDimensions(),
                  llvm::seq<int64_t>(0, getType().getRank())))
    return getOperand();
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(adaptor.getOperand()))
    return SplatElementsAttr::get(getType(), splat.getSplatValue<Attribute>());
  return {};
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto operandType = getOperand().getType();
  auto resultType = getType();
  if (operandType.getElementType() != resultType.getElementType())
    return emitOpError("(C1) operand and result element types differ: ")
           << operandType.getElementType() << " vs "
           << resultType.getElementType();
  if (operandType.getNumElements() != resultType.getNumElements())
    return emitOpError("(C2) cannot reshape ")
           << operandType << " (" << operandType.getNumElements()
           << " elements) to " << resultType << " ("
           << resultType.getNumElements() << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  if (auto inner = getOperand().getDefiningOp<ReshapeOp>()) {
    getOperandMutable().assign(inner.getOperand());
    return getResult();
  }
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOperand()))
    return dense.reshape(getType());
  return {};
}

//===----------------------------------------------------------------------===//
// transpose, rev
//===----------------------------------------------------------------------===//

LogicalResult
TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                              ValueRange operands, DictionaryAttr attributes,
                              OpaqueProperties properties, RegionRange regions,
                              SmallVectorImpl<Type> &inferred) {
  TransposeOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto type = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> perm = adaptor.getPermutation();
  if ((int64_t)perm.size() != type.getRank())
    return emitOptionalError(loc, "(C1) permutation has ", perm.size(),
                             " entries, operand rank is ", type.getRank());
  std::string error =
      checkDimensionList(perm, type.getRank(), "permutation entry");
  if (!error.empty())
    return emitOptionalError(loc, "(C2) ", error);
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  inferred.push_back(type.clone(shape));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPermutation();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getOperand();
  if (auto inner = getOperand().getDefiningOp<TransposeOp>()) {
    // transpose(transpose(x, p), q) == transpose(x, p[q[i]]).
    ArrayRef<int64_t> innerPerm = inner.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t q : perm)
      composed.push_back(innerPerm[q]);
    getOperandMutable().assign(inner.getOperand());
    setPermutation(composed);
    return getResult();
  }
  return {};
}

LogicalResult RevOp::verify() {
  std::string error =
      checkDimensionList(getDimensions(), getType().getRank(), "dimension");
  if (!error.empty())
    return emitOpError("(C1) ") << error;
  return success();
}

//===----------------------------------------------------------------------===//
// concatenate
//===----------------------------------------------------------------------===//

LogicalResult ConcatenateOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferred) {
  ConcatenateOp::Adaptor adaptor(operands, attributes, properties, regions);
  if (operands.empty())
    return emitOptionalError(loc, "(C1) needs at least one input");
  auto first = rankedType(operands[0]);
  int64_t dim = static_cast<int64_t>(adaptor.getDimension());
  if (dim < 0 || dim >= first.getRank())
    return emitOptionalError(loc, "(C2) dimension ", dim,
                             " is out of range [0, ", first.getRank(), ")");
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, v] : llvm::enumerate(operands.drop_front())) {
    auto type = rankedType(v);
    if (type.getRank() != first.getRank())
      return emitOptionalError(loc, "(C3) input ", i + 1, " has rank ",
                               type.getRank(), ", input 0 has rank ",
                               first.getRank());
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if (d == dim)
        continue;
      if (type.getDimSize(d) != first.getDimSize(d))
        return emitOptionalError(loc, "(C4) input ", i + 1, " has shape ", type,
                                 " which differs from input 0 (", first,
                                 ") outside dimension ", dim);
    }
    shape[dim] += type.getDimSize(dim);
  }
  inferred.push_back(first.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// pad
//===----------------------------------------------------------------------===//

LogicalResult
PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                        ValueRange operands, DictionaryAttr attributes,
                        OpaqueProperties properties, RegionRange regions,
                        SmallVectorImpl<Type> &inferred) {
  PadOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto type = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> low = adaptor.getEdgePaddingLow();
  ArrayRef<int64_t> high = adaptor.getEdgePaddingHigh();
  ArrayRef<int64_t> interior = adaptor.getInteriorPadding();
  int64_t rank = type.getRank();
  if ((int64_t)low.size() != rank || (int64_t)high.size() != rank ||
      (int64_t)interior.size() != rank)
    return emitOptionalError(loc, "(C1) low, high and interior padding need ",
                             rank, " entries each, got ", low.size(), ", ",
                             high.size(), " and ", interior.size());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (interior[d] < 0)
      return emitOptionalError(loc, "(C2) interior padding must be >= 0, got ",
                               interior[d], " in dimension ", d);
    int64_t size = type.getDimSize(d);
    int64_t padded =
        low[d] + high[d] + size + std::max<int64_t>(size - 1, 0) * interior[d];
    if (padded < 0)
      return emitOptionalError(loc, "(C3) dimension ", d,
                               " would have negative size ", padded);
    shape.push_back(padded);
  }
  inferred.push_back(type.clone(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// slice, dynamic_slice, dynamic_update_slice
//===----------------------------------------------------------------------===//

LogicalResult
SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                          ValueRange operands, DictionaryAttr attributes,
                          OpaqueProperties properties, RegionRange regions,
                          SmallVectorImpl<Type> &inferred) {
  SliceOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto type = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> start = adaptor.getStartIndices();
  ArrayRef<int64_t> limit = adaptor.getLimitIndices();
  ArrayRef<int64_t> strides = adaptor.getStrides();
  int64_t rank = type.getRank();
  if ((int64_t)start.size() != rank || (int64_t)limit.size() != rank ||
      (int64_t)strides.size() != rank)
    return emitOptionalError(loc, "(C1) start, limit and strides need ", rank,
                             " entries each, got ", start.size(), ", ",
                             limit.size(), " and ", strides.size());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < rank; ++d) {
    if (start[d] < 0 || start[d] > limit[d] || limit[d] > type.getDimSize(d))
      return emitOptionalError(
          loc, "(C2) need 0 <= start <= limit <= size in dimension ", d,
          ", got start ", start[d], ", limit ", limit[d], ", size ",
          type.getDimSize(d));
    if (strides[d] < 1)
      return emitOptionalError(loc, "(C3) stride must be >= 1, got ",
                               strides[d], " in dimension ", d);
    shape.push_back(llvm::divideCeil(limit[d] - start[d], strides[d]));
  }
  inferred.push_back(type.clone(shape));
  return success();
}

LogicalResult DynamicSliceOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferred) {
  DynamicSliceOp::Adaptor adaptor(operands, attributes, properties, regions);
  auto type = rankedType(adaptor.getOperand());
  ArrayRef<int64_t> sizes = adaptor.getSliceSizes();
  int64_t rank = type.getRank();
  if ((int64_t)adaptor.getStartIndices().size() != rank)
    return emitOptionalError(loc, "(C1) needs ", rank, " start indices, got ",
                             adaptor.getStartIndices().size());
  if ((int64_t)sizes.size() != rank)
    return emitOptionalError(loc, "(C2) slice_sizes needs ", rank,
                             " entries, got ", sizes.size());
  for (int64_t d = 0; d < rank; ++d)
    if (sizes[d] < 0 || sizes[d] > type.getDimSize(d))
      return emitOptionalError(loc, "(C3) slice size ", sizes[d],
                               " in dimension ", d, " is out of range [0, ",
                               type.getDimSize(d), "]");
  inferred.push_back(type.clone(sizes));
  return success();
}

LogicalResult DynamicUpdateSliceOp::verify() {
  auto type = getOperand().getType();
  auto updateType = getUpdate().getType();
  if (updateType.getElementType() != type.getElementType())
    return emitOpError("(C1) update element type ")
           << updateType.getElementType() << " differs from operand's "
           << type.getElementType();
  if (updateType.getRank() != type.getRank())
    return emitOpError("(C2) update rank ")
           << updateType.getRank() << " differs from operand rank "
           << type.getRank();
  if ((int64_t)getStartIndices().size() != type.getRank())
    return emitOpError("(C3) needs ")
           << type.getRank() << " start indices, got "
           << getStartIndices().size();
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (updateType.getDimSize(d) > type.getDimSize(d))
      return emitOpError("(C4) update ")
             << updateType << " does not fit in operand " << type;
  return success();
}
