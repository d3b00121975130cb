//===- MlaxCallbackOps.cpp - host_callback verifier and effects -----------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

using namespace mlir;
using namespace mlax;

LogicalResult HostCallbackOp::verify() {
  CallbackKind kind = getKind();
  if (kind == CallbackKind::debug && !getResults().empty())
    return emitOpError("(C1) a debug callback has no results, got ")
           << getResults().size();
  if (kind != CallbackKind::pure && getVmapMethod() != VmapMethod::none)
    return emitOpError("(C2) vmap_method applies to pure callbacks only, got ")
           << stringifyVmapMethod(getVmapMethod()) << " on a "
           << stringifyCallbackKind(kind) << " callback";
  if (kind == CallbackKind::pure && getOrdered())
    return emitOpError("(C3) a pure callback cannot be ordered");
  if (getCallbackIdAttr().getInt() < 0)
    return emitOpError("(C4) callback_id must be >= 0, got ")
           << getCallbackIdAttr().getInt();
  return success();
}

// debug and io callbacks act on the host: they read and write the default
// resource, so they are neither dropped nor moved across each other.
void HostCallbackOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  if (getKind() == CallbackKind::pure)
    return;
  effects.emplace_back(MemoryEffects::Read::get());
  effects.emplace_back(MemoryEffects::Write::get());
}
