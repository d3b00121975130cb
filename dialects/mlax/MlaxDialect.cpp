//===- MlaxDialect.cpp - dialect registration and constants ---------------===//

#include "dialects/mlax/MlaxDialect.h"

using namespace mlir;
using namespace mlax;

#include "dialects/mlax/MlaxDialect.cpp.inc"
#include "dialects/mlax/MlaxEnums.cpp.inc"

void MlaxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/mlax/MlaxOps.cpp.inc"
      >();
}

Operation *MlaxDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                            Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

#define GET_OP_CLASSES
#include "dialects/mlax/MlaxOps.cpp.inc"
