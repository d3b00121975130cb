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
