//===- MlaxTransformOps.cpp - transformation request ops ------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlax;

/// Shared by vjp and jvp: the callee and the activity mask, then the
/// operand/result types the request must have.
static LogicalResult verifyRequest(Operation *op, FlatSymbolRefAttr calleeName,
                                   ArrayRef<bool> active, TypeRange inputs,
                                   TypeRange outputs, bool reverse,
                                   SymbolTableCollection &symbols) {
  auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(op, calleeName);
  if (!callee)
    return op->emitOpError("(C1) '")
           << calleeName.getValue() << "' does not name a func.func";
  FunctionType type = callee.getFunctionType();
  if (active.size() != type.getNumInputs())
    return op->emitOpError("(C2) active has ")
           << active.size() << " flags for a callee with "
           << type.getNumInputs() << " arguments";
  SmallVector<Type> activeInputs;
  for (auto [flag, t] : llvm::zip(active, type.getInputs()))
    if (flag)
      activeInputs.push_back(t);
  SmallVector<Type> expectedIn(type.getInputs());
  llvm::append_range(expectedIn, reverse ? ArrayRef<Type>(type.getResults())
                                         : ArrayRef<Type>(activeInputs));
  SmallVector<Type> expectedOut(type.getResults());
  llvm::append_range(expectedOut, reverse ? ArrayRef<Type>(activeInputs)
                                          : ArrayRef<Type>(type.getResults()));
  if (inputs != TypeRange(expectedIn))
    return op->emitOpError("(C3) operands must be the callee's arguments then ")
           << (reverse ? "one cotangent per result"
                       : "one tangent per active argument")
           << ": expected " << TypeRange(expectedIn) << ", got " << inputs;
  if (outputs != TypeRange(expectedOut))
    return op->emitOpError("(C4) results must be the callee's results then ")
           << (reverse ? "one cotangent per active argument"
                       : "one tangent per result")
           << ": expected " << TypeRange(expectedOut) << ", got " << outputs;
  return success();
}

LogicalResult JvpOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyRequest(*this, getCalleeAttr(), getActive(),
                       getInputs().getTypes(), getOutputs().getTypes(),
                       /*reverse=*/false, symbols);
}

LogicalResult VjpOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyRequest(*this, getCalleeAttr(), getActive(),
                       getInputs().getTypes(), getOutputs().getTypes(),
                       /*reverse=*/true, symbols);
}

/// `type` with the example axis of size `size` inserted at `axis` (-1: none).
static Type withBatchAxis(Type type, int64_t axis, int64_t size) {
  auto t = cast<RankedTensorType>(type);
  if (axis < 0)
    return t;
  SmallVector<int64_t> shape(t.getShape());
  shape.insert(shape.begin() + axis, size);
  return t.clone(shape);
}

LogicalResult BatchOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("(C1) '")
           << getCallee() << "' does not name a func.func";
  FunctionType type = callee.getFunctionType();
  int64_t size = static_cast<int64_t>(getAxisSize());
  if (size < 0)
    return emitOpError("(C2) size must be non-negative, got ") << size;
  auto check = [&](StringRef what, ArrayRef<int64_t> axes,
                   TypeRange calleeTypes, TypeRange types) -> LogicalResult {
    if (axes.size() != calleeTypes.size())
      return emitOpError("(C3) ")
             << what << " has " << axes.size() << " entries for a callee with "
             << calleeTypes.size()
             << (what == "in_axes" ? " arguments" : " results");
    if (types.size() != calleeTypes.size())
      return emitOpError("(C4) expected ")
             << calleeTypes.size()
             << (what == "in_axes" ? " operands" : " results") << ", got "
             << types.size();
    for (auto [i, axis, calleeType, type] :
         llvm::enumerate(axes, calleeTypes, types)) {
      int64_t rank = cast<RankedTensorType>(calleeType).getRank();
      if (axis < -1 || axis > rank)
        return emitOpError("(C5) ") << what << "[" << i << "] = " << axis
                                    << " is out of range for rank " << rank
                                    << " (-1 or 0.." << rank << ")";
      Type expected = withBatchAxis(calleeType, axis, size);
      if (type != expected)
        return emitOpError("(C6) ")
               << (what == "in_axes" ? "operand " : "result ") << i
               << " must have type " << expected << ", got " << type;
    }
    return success();
  };
  if (failed(check("in_axes", getInAxes(), type.getInputs(),
                   getInputs().getTypes())))
    return failure();
  return check("out_axes", getOutAxes(), type.getResults(),
               getOutputs().getTypes());
}

LogicalResult OptimizationBarrierOp::verify() {
  if (getOperandTypes() != getResultTypes())
    return emitOpError("(C1) results must have the operands' types: expected ")
           << getOperandTypes() << ", got " << getResultTypes();
  return success();
}

LogicalResult OptimizationBarrierOp::inferReturnTypes(
    MLIRContext *, std::optional<Location>, ValueRange operands, DictionaryAttr,
    OpaqueProperties, RegionRange, SmallVectorImpl<Type> &inferred) {
  llvm::append_range(inferred, operands.getTypes());
  return success();
}
