//===- MlaxDialect.cpp - dialect registration and constants ---------------===//

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlax;

#include "dialects/mlax/MlaxDialect.cpp.inc"
#include "dialects/mlax/MlaxEnums.cpp.inc"

namespace {
/// mlax ops are pure tensor ops: any of them may be inlined anywhere (the
/// functions mlax-autodiff generates are inlined into their callers).
struct MlaxInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Operation *, bool) const final {
    return true;
  }
  bool isLegalToInline(Region *, Region *, bool, IRMapping &) const final {
    return true;
  }
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void MlaxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/mlax/MlaxOps.cpp.inc"
      >();
  addInterfaces<MlaxInlinerInterface>();
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
