//===- ControlFlowBatchRules.cpp - vmap of cond, while, scan --------------===//
//
// Rules (JAX's semantics). Any batched operand makes every result batched
// (at 0; ys at 1): simple and always right, at the cost of broadcasting
// values that stay the same for every example.
//   cond   unbatched index: a cond of the batched branches.
//          batched index: every batched branch is called and the results
//          selected per example (index == k), as JAX does.
//   while  the carry batched at 0, the cond and body batched; the
//          condition is then per example, so the loop runs while any
//          example continues and a finished example keeps its carry
//          (select on its own condition).
//   scan   carry and consts batched at 0, xs at 1 (the scanned axis stays
//          first); the body batched with its rows at 0; ys come out
//          batched at 1.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/TransformRequests.h"
#include "passes/batching/BatchRules.h"

using namespace mlir;
using namespace mlax;

namespace {

RankedTensorType atSecond(Type t, int64_t size) {
  auto tensor = cast<RankedTensorType>(t);
  SmallVector<int64_t> shape(tensor.getShape());
  shape.insert(shape.begin() + 1, size);
  return RankedTensorType::get(shape, tensor.getElementType());
}

/// `p` (a per-example i1 of shape [B]) broadcast against `like`'s shape,
/// batch dimension first.
Value perExample(Emit &e, Value p, Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  auto target = RankedTensorType::get(type.getShape(), e.b.getI1Type());
  return e.broadcast(p, target, {0});
}

} // namespace

LogicalResult mlax::batchCond(CondOp op, ArrayRef<Batched> operands,
                              SmallVectorImpl<Batched> &results,
                              BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  int64_t n = ctx.size;
  SmallVector<Value> inputs;
  SmallVector<int64_t> inAxes;
  for (const Batched &x : operands.drop_front()) {
    inputs.push_back(x.value);
    inAxes.push_back(x.dim);
  }
  SmallVector<int64_t> outAxes(op.getNumResults(), 0);
  SmallVector<Type> outTypes;
  for (Type t : op.getResultTypes())
    outTypes.push_back(withFront(t, n));
  SmallVector<func::FuncOp> branches;
  for (Attribute name : op.getBranches()) {
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, cast<FlatSymbolRefAttr>(name));
    auto batched = ctx.batchCallee(callee, inAxes, outAxes, loc);
    if (failed(batched))
      return failure();
    branches.push_back(*batched);
  }
  if (!operands[0].isBatched()) {
    SmallVector<Attribute> names;
    for (func::FuncOp f : branches)
      names.push_back(FlatSymbolRefAttr::get(f.getSymNameAttr()));
    auto cond = CondOp::create(b, loc, outTypes, operands[0].value,
                               b.getArrayAttr(names), inputs);
    for (Value r : cond.getResults())
      results.push_back({r, 0});
    return success();
  }
  // A batched index: every branch runs; each example takes its own.
  Emit e{b, loc};
  Value index = ctx.materialize(operands[0], 0, loc);
  SmallVector<Value> out;
  for (int64_t k = static_cast<int64_t>(branches.size()) - 1; k >= 0; --k) {
    auto call = func::CallOp::create(b, loc, branches[k], inputs);
    if (out.empty()) {
      out.assign(call.getResults().begin(), call.getResults().end());
      continue;
    }
    auto indexType = cast<RankedTensorType>(index.getType());
    Value kth = ConstantOp::create(
        b, loc, indexType,
        DenseElementsAttr::get(
            indexType, b.getIntegerAttr(indexType.getElementType(), k)));
    Value here = e.compare(ComparisonDirection::EQ, index, kth);
    for (auto [i, r] : llvm::enumerate(call.getResults()))
      out[i] = e.select(perExample(e, here, r), r, out[i]);
  }
  for (Value r : out)
    results.push_back({r, 0});
  return success();
}

LogicalResult mlax::batchWhile(WhileOp op, ArrayRef<Batched> operands,
                               SmallVectorImpl<Batched> &results,
                               BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  int64_t n = ctx.size;
  unsigned numCarry = op.getNumResults();
  SmallVector<Value> inputs;
  SmallVector<int64_t> inAxes;
  for (auto [i, x] : llvm::enumerate(operands)) {
    if (i < numCarry) {
      inputs.push_back(ctx.materialize(x, 0, loc));
      inAxes.push_back(0);
    } else {
      inputs.push_back(x.value);
      inAxes.push_back(x.dim);
    }
  }
  auto cond =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, op.getCondAttr());
  auto body =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, op.getBodyAttr());
  auto batchedCond = ctx.batchCallee(cond, inAxes, {0}, loc);
  SmallVector<int64_t> carryAxes(numCarry, 0);
  auto batchedBody = ctx.batchCallee(body, inAxes, carryAxes, loc);
  if (failed(batchedCond) || failed(batchedBody))
    return failure();
  SmallVector<Type> inTypes(ValueRange(inputs).getTypes());
  SmallVector<Type> carryTypes(
      ValueRange(inputs).take_front(numCarry).getTypes());
  auto pred = RankedTensorType::get({}, b.getI1Type());
  // Loop while any example continues.
  auto anyCond = makeWrapper(
      op, (op.getCond() + "_any").str(), inTypes, TypeRange{pred},
      [&](OpBuilder &fb, ValueRange args) {
        auto call = func::CallOp::create(fb, loc, *batchedCond, args);
        Value any = ReduceOrOp::create(fb, loc, pred, call.getResult(0),
                                       fb.getDenseI64ArrayAttr({0}));
        return SmallVector<Value>{any};
      });
  // Examples whose condition is false keep their carry.
  auto maskedBody = makeWrapper(
      op, (op.getBody() + "_masked").str(), inTypes, carryTypes,
      [&](OpBuilder &fb, ValueRange args) {
        Emit fe{fb, loc};
        Value live =
            func::CallOp::create(fb, loc, *batchedCond, args).getResult(0);
        auto next = func::CallOp::create(fb, loc, *batchedBody, args);
        SmallVector<Value> out;
        for (auto [i, r] : llvm::enumerate(next.getResults()))
          out.push_back(fe.select(perExample(fe, live, r), r, args[i]));
        return out;
      });
  auto loop =
      WhileOp::create(b, loc, carryTypes, anyCond.getSymName(),
                      maskedBody.getSymName(), inputs, op.getNumConsts());
  for (Value r : loop.getResults())
    results.push_back({r, 0});
  return success();
}

LogicalResult mlax::batchScan(ScanOp op, ArrayRef<Batched> operands,
                              SmallVectorImpl<Batched> &results,
                              BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  int64_t n = ctx.size;
  unsigned nc = op.getNumCarry(), nx = op.numXs();
  SmallVector<Value> inputs;
  SmallVector<int64_t> inAxes;
  for (auto [i, x] : llvm::enumerate(operands)) {
    if (i < nc) {
      inputs.push_back(ctx.materialize(x, 0, loc));
      inAxes.push_back(0);
    } else if (i < nc + nx) {
      // The scanned axis stays first; the body sees rows batched at 0.
      inputs.push_back(x.isBatched() ? ctx.materialize(x, 1, loc) : x.value);
      inAxes.push_back(x.isBatched() ? 0 : -1);
    } else {
      inputs.push_back(x.value);
      inAxes.push_back(x.dim);
    }
  }
  auto body =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, op.getBodyAttr());
  SmallVector<int64_t> outAxes(body.getNumResults(), 0);
  auto batched = ctx.batchCallee(body, inAxes, outAxes, loc);
  if (failed(batched))
    return failure();
  SmallVector<Type> outTypes;
  for (auto [i, t] : llvm::enumerate(op.getResultTypes()))
    outTypes.push_back(i < nc ? withFront(t, n) : atSecond(t, n));
  auto scan = ScanOp::create(b, loc, outTypes, batched->getSymName(), inputs,
                             nc, op.getNumConsts(), op.getLength(),
                             op.getReverse(), op.getUnroll());
  for (auto [i, r] : llvm::enumerate(scan.getResults()))
    results.push_back({r, i < nc ? 0 : 1});
  return success();
}
