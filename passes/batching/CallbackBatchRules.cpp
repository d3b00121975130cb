//===- CallbackBatchRules.cpp - batching host_callback --------------------===//
//
// As JAX batches its callbacks:
//   - debug, io (unordered) and pure with vmap_method = sequential: one
//     call per example, unrolled (operand slices; results stacked at 0);
//   - pure, expand_dims: one call, batched operands with the batch first,
//     unbatched ones with a size-1 dimension in front;
//   - pure, broadcast_all: one call, every operand broadcast to the batch;
//   - pure without a vmap_method, and ordered io: JAX's errors.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/batching/BatchRules.h"

using namespace mlir;
using namespace mlax;

LogicalResult mlax::batchHostCallback(HostCallbackOp op,
                                      ArrayRef<Batched> operands,
                                      SmallVectorImpl<Batched> &results,
                                      BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  Emit e{b, loc};
  int64_t n = ctx.size;
  CallbackKind kind = op.getKind();
  VmapMethod method = op.getVmapMethod();
  if (kind == CallbackKind::pure && method == VmapMethod::none)
    return op.emitOpError(
        "vmap is only supported for the pure_callback primitive when "
        "vmap_method is one of 'sequential', 'sequential_unrolled', "
        "'expand_dims', 'broadcast_all', or 'legacy_vectorized'. Got "
        "vmap_method=None.");
  if (kind == CallbackKind::io && op.getOrdered())
    return op.emitOpError("Cannot `vmap` ordered IO callback.");
  auto call = [&](ValueRange inputs, TypeRange types) {
    auto copy = HostCallbackOp::create(b, loc, types, inputs, op->getAttrs());
    return copy.getResults();
  };
  if (kind == CallbackKind::pure && method != VmapMethod::sequential) {
    SmallVector<Value> inputs;
    for (const Batched &x : operands) {
      if (x.isBatched() || method == VmapMethod::broadcast_all) {
        inputs.push_back(ctx.materialize(x, 0, loc));
        continue;
      }
      SmallVector<int64_t> shape = {1};
      llvm::append_range(shape, e.type(x.value).getShape());
      inputs.push_back(e.reshape(x.value, shape));
    }
    SmallVector<Type> types;
    for (Type t : op.getResultTypes())
      types.push_back(withFront(t, n));
    for (Value r : call(inputs, types))
      results.push_back({r, 0});
    return success();
  }
  // Sequential: example i of each batched operand, the call, the stack.
  SmallVector<SmallVector<Value>> rows(op.getNumResults());
  for (int64_t i = 0; i < n; ++i) {
    SmallVector<Value> inputs;
    for (const Batched &x : operands) {
      if (!x.isBatched()) {
        inputs.push_back(x.value);
        continue;
      }
      RankedTensorType t = e.type(x.value);
      SmallVector<int64_t> start(t.getRank(), 0), limit(t.getShape()),
          strides(t.getRank(), 1), sliced(t.getShape()), example;
      start[x.dim] = i;
      limit[x.dim] = i + 1;
      sliced[x.dim] = 1;
      for (int64_t d = 0; d < t.getRank(); ++d)
        if (d != x.dim)
          example.push_back(t.getShape()[d]);
      Value row = SliceOp::create(b, loc, t.clone(sliced), x.value, start,
                                  limit, strides);
      inputs.push_back(e.reshape(row, example));
    }
    for (auto [k, r] : llvm::enumerate(call(inputs, op.getResultTypes())))
      rows[k].push_back(e.reshape(r, withFront(r.getType(), 1).getShape()));
  }
  for (auto [k, type] : llvm::enumerate(op.getResultTypes())) {
    RankedTensorType stacked = withFront(type, n);
    Value r = n == 0 ? e.zeros(stacked)
              : rows[k].size() == 1
                  ? rows[k][0]
                  : (Value)ConcatenateOp::create(b, loc, stacked, rows[k], 0);
    results.push_back({r, 0});
  }
  return success();
}
