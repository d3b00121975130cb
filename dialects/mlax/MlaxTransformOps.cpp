//===- MlaxTransformOps.cpp - transformation request ops ------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlax;

LogicalResult VjpOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto callee =
      symbols.lookupNearestSymbolFrom<func::FuncOp>(*this, getCalleeAttr());
  if (!callee)
    return emitOpError("(C1) '")
           << getCallee() << "' does not name a func.func";
  FunctionType type = callee.getFunctionType();
  ArrayRef<bool> active = getActive();
  if (active.size() != type.getNumInputs())
    return emitOpError("(C2) active has ")
           << active.size() << " flags for a callee with "
           << type.getNumInputs() << " arguments";
  SmallVector<Type> expectedIn(type.getInputs());
  llvm::append_range(expectedIn, type.getResults());
  SmallVector<Type> expectedOut(type.getResults());
  for (auto [flag, t] : llvm::zip(active, type.getInputs()))
    if (flag)
      expectedOut.push_back(t);
  if (TypeRange(getInputs().getTypes()) != TypeRange(expectedIn))
    return emitOpError("(C3) operands must be the callee's arguments then one "
                       "cotangent per result: expected ")
           << TypeRange(expectedIn) << ", got " << getInputs().getTypes();
  if (TypeRange(getOutputs().getTypes()) != TypeRange(expectedOut))
    return emitOpError("(C4) results must be the callee's results then one "
                       "cotangent per active argument: expected ")
           << TypeRange(expectedOut) << ", got " << getOutputs().getTypes();
  return success();
}
