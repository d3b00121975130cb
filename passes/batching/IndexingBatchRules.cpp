//===- IndexingBatchRules.cpp - vmap rules of gather, scatter, sort -------===//
//
// A batched index array becomes a batch dimension of the op, never a loop:
//   gather, operand batched only: the batch is one more dimension taken
//     whole (dims shift by one); it lands after the index batch dims.
//   gather, indices batched only: the index batch dims grow a leading n.
//   gather, both batched; scatter, anything batched: every operand gets
//     the batch at 0 (broadcast where unbatched) and the index vectors a
//     leading component iota(n) along a new indexed dim 0, so example i
//     reads (writes) only its own slice of the operand.
//   sort: every operand gets the batch at 0 (broadcast where unbatched),
//     the sorted dimension shifts by one. top_k: the batch goes first (the
//     last dimension stays last).
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/batching/BatchRules.h"

using namespace mlir;
using namespace mlax;

namespace {

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// dims shifted past a new leading dimension, with that dimension first
/// when `withBatch`.
SmallVector<int64_t> shiftedDims(ArrayRef<int64_t> dims, bool withBatch) {
  SmallVector<int64_t> out;
  if (withBatch)
    out.push_back(0);
  for (int64_t d : dims)
    out.push_back(d + 1);
  return out;
}

/// Index vectors [n, B..., K] -> [n, B..., K + 1] with component 0 = the
/// example number.
Value withExampleComponent(OpBuilder &b, Location loc, Value indices) {
  auto type = typeOf(indices);
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = 1;
  Value iota = IotaOp::create(b, loc, type.clone(shape), 0);
  shape.back() = type.getShape().back() + 1;
  return ConcatenateOp::create(b, loc, type.clone(shape),
                               ValueRange{iota, indices}, type.getRank() - 1);
}

} // namespace

LogicalResult mlax::batchGather(GatherOp op, ArrayRef<Batched> operands,
                                SmallVectorImpl<Batched> &results,
                                BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  const Batched &x = operands[0], &idx = operands[1];
  int64_t n = ctx.size;
  auto resultType = op.getType();
  int64_t batchRank = op.getIndices().getType().getRank() - 1;
  auto make = [&](Value operand, Value indices, ArrayRef<int64_t> dims,
                  int64_t at) {
    SmallVector<int64_t> shape(resultType.getShape());
    shape.insert(shape.begin() + at, n);
    Value g =
        GatherOp::create(b, loc, resultType.clone(shape), operand, indices,
                         dims, op.getMode(), op.getFillValueAttr());
    results.push_back({g, at});
    return success();
  };
  if (!idx.isBatched())
    return make(ctx.materialize(x, 0, loc), idx.value,
                shiftedDims(op.getDims(), false), batchRank);
  Value indices = ctx.materialize(idx, 0, loc);
  if (!x.isBatched())
    return make(x.value, indices, op.getDims(), 0);
  return make(ctx.materialize(x, 0, loc), withExampleComponent(b, loc, indices),
              shiftedDims(op.getDims(), true), 0);
}

LogicalResult mlax::batchScatter(ScatterOp op, ArrayRef<Batched> operands,
                                 SmallVectorImpl<Batched> &results,
                                 BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  Value operand = ctx.materialize(operands[0], 0, loc);
  Value indices =
      withExampleComponent(b, loc, ctx.materialize(operands[1], 0, loc));
  Value updates = ctx.materialize(operands[2], 0, loc);
  Value s = ScatterOp::create(b, loc, operand.getType(), op.getKind(), operand,
                              indices, updates, shiftedDims(op.getDims(), true),
                              op.getMode());
  results.push_back({s, 0});
  return success();
}

LogicalResult mlax::batchSort(SortOp op, ArrayRef<Batched> operands,
                              SmallVectorImpl<Batched> &results,
                              BatchContext &ctx) {
  SmallVector<Value> inputs;
  SmallVector<Type> types;
  for (const Batched &x : operands) {
    inputs.push_back(ctx.materialize(x, 0, op.getLoc()));
    types.push_back(inputs.back().getType());
  }
  auto sort = SortOp::create(ctx.b, op.getLoc(), types, inputs,
                             op.getDimension() + 1, op.getNumKeys());
  for (Value r : sort.getResults())
    results.push_back({r, 0});
  return success();
}

LogicalResult mlax::batchTopK(TopKOp op, ArrayRef<Batched> operands,
                              SmallVectorImpl<Batched> &results,
                              BatchContext &ctx) {
  Value x = ctx.materialize(operands[0], 0, op.getLoc());
  auto withBatch = [&](Value v) {
    auto t = typeOf(v);
    SmallVector<int64_t> shape = {ctx.size};
    llvm::append_range(shape, t.getShape());
    return t.clone(shape);
  };
  auto topK = TopKOp::create(ctx.b, op.getLoc(), withBatch(op.getValues()),
                             withBatch(op.getIndices()), x, op.getK());
  results.push_back({topK.getValues(), 0});
  results.push_back({topK.getIndices(), 0});
  return success();
}
