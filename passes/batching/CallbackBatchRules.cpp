//===- CallbackBatchRules.cpp - batching host_callback --------------------===//
//
// As JAX batches its callbacks:
//   - debug, io (unordered) and pure with vmap_method = sequential: one
//     call per example, in order: an mlax.scan over the batched operands
//     (batch first; the unbatched ones as its consts) whose body function
//     calls the callback, results stacked at 0;
//   - pure, expand_dims: one call, batched operands with the batch first,
//     unbatched ones with a size-1 dimension in front;
//   - pure, broadcast_all: one call, every operand broadcast to the batch;
//   - pure without a vmap_method, and ordered io: JAX's errors.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/TransformRequests.h"
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
  // Sequential: a scan over the examples (xs: the batched operands, batch
  // first; consts: the others) whose body calls the callback on one.
  if (n == 0) {
    for (Type type : op.getResultTypes())
      results.push_back({e.zeros(withFront(type, 0)), 0});
    return success();
  }
  SmallVector<Value> xs, consts;
  SmallVector<Type> constTypes;
  for (const Batched &x : operands) {
    if (x.isBatched()) {
      xs.push_back(ctx.materialize(x, 0, loc));
    } else {
      consts.push_back(x.value);
      constTypes.push_back(x.value.getType());
    }
  }
  SmallVector<Type> bodyIn;
  for (Value x : xs)
    bodyIn.push_back(RankedTensorType::get(e.type(x).getShape().drop_front(),
                                           e.type(x).getElementType()));
  llvm::append_range(bodyIn, constTypes);
  auto body = makeWrapper(
      op, "host_callback_example", bodyIn, op.getResultTypes(),
      [&](OpBuilder &fb, ValueRange args) {
        SmallVector<Value> inputs;
        unsigned nextX = 0, nextConst = xs.size();
        for (const Batched &x : operands)
          inputs.push_back(args[x.isBatched() ? nextX++ : nextConst++]);
        auto copy = HostCallbackOp::create(fb, loc, op.getResultTypes(), inputs,
                                           op->getAttrs());
        return SmallVector<Value>(copy.getResults());
      });
  SmallVector<Value> inputs(xs);
  llvm::append_range(inputs, consts);
  SmallVector<Type> stacked;
  for (Type type : op.getResultTypes())
    stacked.push_back(withFront(type, n));
  auto scan = ScanOp::create(b, loc, stacked, body.getSymName(), inputs, 0,
                             consts.size(), n, false);
  for (Value r : scan.getResults())
    results.push_back({r, 0});
  return success();
}
