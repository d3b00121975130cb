//===- MlaxDialect.h - the mlax dialect -------------------------*- C++ -*-===//

#ifndef MLAX_DIALECT_H
#define MLAX_DIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlax::trait {
/// Results with a zero derivative (or none): see Mlax_ZeroDerivative.
template <typename ConcreteType>
class ZeroDerivative
    : public mlir::OpTrait::TraitBase<ConcreteType, ZeroDerivative> {};
} // namespace mlax::trait

#include "dialects/mlax/MlaxDialect.h.inc"
#include "dialects/mlax/MlaxEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/mlax/MlaxOps.h.inc"

#endif // MLAX_DIALECT_H
