//===- BatchRules.cpp - one batching rule per mlax op ---------------------===//
//
// batchOp() is the table. Each rule receives the operands with their batch
// dimension and keeps that dimension where it is whenever the op allows
// (reductions, slices, rev, elementwise ops shift their attributes instead
// of moving data); an unbatched operand is broadcast only when the op needs
// every operand batched (elementwise ops, concatenate). dot_general turns a
// batch of both operands into one more batch dimension, never a loop.
//
// dynamic_slice / dynamic_update_slice with per-example start indices have
// no single mlax op: they select through a one-hot mask of the window
// (compare against iota, select, reduce), exact for every element type.
//
//===----------------------------------------------------------------------===//

#include "passes/batching/BatchRules.h"

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"

#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;
using namespace mlax;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// `t` with a dimension of `size` inserted at `at`.
RankedTensorType withDim(Type t, int64_t at, int64_t size) {
  auto r = cast<RankedTensorType>(t);
  SmallVector<int64_t> shape(r.getShape());
  shape.insert(shape.begin() + at, size);
  return r.clone(shape);
}

/// Dimension numbers of the unbatched op, renumbered for an operand whose
/// batch dimension sits at `bdim`.
SmallVector<int64_t> shifted(ArrayRef<int64_t> dims, int64_t bdim) {
  SmallVector<int64_t> out;
  for (int64_t d : dims)
    out.push_back(d + (d >= bdim ? 1 : 0));
  return out;
}

SmallVector<int64_t> insertedAt(ArrayRef<int64_t> values, int64_t at,
                                int64_t value) {
  SmallVector<int64_t> out(values);
  out.insert(out.begin() + at, value);
  return out;
}

/// Re-creates `op` (same name and attributes, `overrides` replacing some)
/// with new operands and result types.
Operation *rebuild(OpBuilder &b, Operation *op, ValueRange operands,
                   TypeRange resultTypes,
                   ArrayRef<NamedAttribute> overrides = {}) {
  OperationState state(op->getLoc(), op->getName());
  state.addOperands(operands);
  state.addTypes(resultTypes);
  NamedAttrList attrs(op->getAttrDictionary());
  for (NamedAttribute a : overrides)
    attrs.set(a.getName(), a.getValue());
  state.addAttributes(attrs);
  return b.create(state);
}

NamedAttribute i64s(OpBuilder &b, StringRef name, ArrayRef<int64_t> values) {
  return b.getNamedAttr(name, b.getDenseI64ArrayAttr(values));
}

NamedAttribute i64(OpBuilder &b, StringRef name, int64_t value) {
  return b.getNamedAttr(name, b.getI64IntegerAttr(value));
}

Value scalarConstant(OpBuilder &b, Location loc, Type elementType,
                     double value) {
  auto t = RankedTensorType::get({}, elementType);
  Attribute attr = isa<FloatType>(elementType)
                       ? (Attribute)b.getFloatAttr(elementType, value)
                       : (Attribute)b.getIntegerAttr(
                             elementType, static_cast<int64_t>(value));
  return ConstantOp::create(b, loc, t, DenseElementsAttr::get(t, attr));
}

/// The first batched operand's dimension among `operands` (or 0).
int64_t firstBatchDim(ArrayRef<Batched> operands) {
  for (const Batched &x : operands)
    if (x.isBatched())
      return x.dim;
  return 0;
}

//===----------------------------------------------------------------------===//
// Elementwise ops (and select/clamp, whose predicate or bounds may be 0-d)
//===----------------------------------------------------------------------===//

LogicalResult batchElementwise(Operation *op, ArrayRef<Batched> operands,
                               SmallVectorImpl<Batched> &results,
                               BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op->getLoc();
  int64_t rank = tensorType(op->getResult(0)).getRank();
  // Keep the batch dimension of the first full-rank batched operand.
  int64_t bdim = -1;
  for (auto [x, orig] : llvm::zip(operands, op->getOperands()))
    if (x.isBatched() && tensorType(orig).getRank() == rank) {
      bdim = x.dim;
      break;
    }
  if (bdim < 0)
    bdim = 0;
  SmallVector<Value> newOperands;
  for (auto [x, orig] : llvm::zip(operands, op->getOperands())) {
    auto origType = tensorType(orig);
    if (origType.getRank() == rank) {
      newOperands.push_back(ctx.materialize(x, bdim, loc));
    } else if (!x.isBatched()) {
      newOperands.push_back(x.value); // a 0-d operand shared by all examples
    } else {
      // A per-example scalar (select's pred, clamp's bounds): full shape.
      auto to = withDim(op->getResult(0).getType(), bdim, ctx.size)
                    .clone(origType.getElementType());
      newOperands.push_back(
          BroadcastInDimOp::create(b, loc, to, x.value, {bdim}));
    }
  }
  SmallVector<Type> types;
  for (Type t : op->getResultTypes())
    types.push_back(withDim(t, bdim, ctx.size));
  Operation *batched = rebuild(b, op, newOperands, types);
  for (Value r : batched->getResults())
    results.push_back({r, bdim});
  return success();
}

//===----------------------------------------------------------------------===//
// dot_general
//===----------------------------------------------------------------------===//

/// The dimensions of a rank-`rank` operand that are neither batch nor
/// contracting dimensions, in order.
SmallVector<int64_t> freeDims(int64_t rank, ArrayRef<int64_t> batch,
                              ArrayRef<int64_t> contracting) {
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(batch, d) && !llvm::is_contained(contracting, d))
      out.push_back(d);
  return out;
}

LogicalResult batchDotGeneral(DotGeneralOp op, ArrayRef<Batched> operands,
                              SmallVectorImpl<Batched> &results,
                              BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  const Batched &lhs = operands[0], &rhs = operands[1];
  SmallVector<int64_t> lb(op.getLhsBatchingDimensions()),
      rb(op.getRhsBatchingDimensions()), lc(op.getLhsContractingDimensions()),
      rc(op.getRhsContractingDimensions());
  if (lhs.isBatched()) {
    lb = shifted(lb, lhs.dim);
    lc = shifted(lc, lhs.dim);
  }
  if (rhs.isBatched()) {
    rb = shifted(rb, rhs.dim);
    rc = shifted(rc, rhs.dim);
  }
  int64_t resultDim;
  if (lhs.isBatched() && rhs.isBatched()) {
    // Both batched: the examples become the leading batch dimension.
    lb.insert(lb.begin(), lhs.dim);
    rb.insert(rb.begin(), rhs.dim);
    resultDim = 0;
  } else if (lhs.isBatched()) {
    // A free dimension of lhs: its place among lhs's free dimensions.
    auto lf = freeDims(tensorType(lhs.value).getRank(), lb, lc);
    resultDim = lb.size() + llvm::find(lf, lhs.dim) - lf.begin();
  } else {
    auto lf = freeDims(tensorType(lhs.value).getRank(), lb, lc);
    auto rf = freeDims(tensorType(rhs.value).getRank(), rb, rc);
    resultDim = lb.size() + lf.size() + (llvm::find(rf, rhs.dim) - rf.begin());
  }
  Type resultType = withDim(op.getType(), resultDim, ctx.size);
  Operation *batched = rebuild(b, op, {lhs.value, rhs.value}, {resultType},
                               {i64s(b, "lhs_batching_dimensions", lb),
                                i64s(b, "rhs_batching_dimensions", rb),
                                i64s(b, "lhs_contracting_dimensions", lc),
                                i64s(b, "rhs_contracting_dimensions", rc)});
  results.push_back({batched->getResult(0), resultDim});
  return success();
}

//===----------------------------------------------------------------------===//
// Per-example start indices: one-hot windows
//===----------------------------------------------------------------------===//

/// A start index for every example: `s` (0-d or [N]) as i64 [N], clamped to
/// [0, maxStart] as dynamic_slice clamps it.
Value perExampleStart(BatchContext &ctx, Location loc, Batched s,
                      int64_t maxStart) {
  OpBuilder &b = ctx.b;
  // In i64: a narrow index type (ui8 starts into 300 elements) would wrap in
  // the clamp bound, the iota and start + offset.
  Value v = Emit{b, loc}.convert(ctx.materialize(s, 0, loc), b.getI64Type());
  Type et = b.getI64Type();
  return ClampOp::create(b, loc, tensorType(v), scalarConstant(b, loc, et, 0),
                         v, scalarConstant(b, loc, et, maxStart));
}

/// i1 [N, a, c] mask: true where index(c) == start[n] + index(a). With
/// `windowFirst` false the mask is [N, c, a] instead.
Value oneHotWindow(BatchContext &ctx, Location loc, Value start, int64_t a,
                   int64_t c, bool windowFirst) {
  OpBuilder &b = ctx.b;
  Emit e{b, loc};
  Type et = tensorType(start).getElementType();
  int64_t windowAxis = windowFirst ? 1 : 2, targetAxis = windowFirst ? 2 : 1;
  SmallVector<int64_t> shape = {ctx.size, windowFirst ? a : c,
                                windowFirst ? c : a};
  auto t = RankedTensorType::get(shape, et);
  Value window = IotaOp::create(b, loc, t, windowAxis);
  Value target = IotaOp::create(b, loc, t, targetAxis);
  Value starts = e.broadcast(start, t, {0});
  return e.compare(ComparisonDirection::EQ, target, e.add(starts, window));
}

/// Picks, along `axis` of `v`, the entry `mask` selects (exactly one or
/// none): a select and a reduction that is exact for every element type.
Value selectAlong(BatchContext &ctx, Location loc, Value mask, Value v,
                  int64_t axis) {
  OpBuilder &b = ctx.b;
  auto t = tensorType(v);
  Type et = t.getElementType();
  Emit e{b, loc};
  Value masked, reduced;
  auto resultType = [&] {
    SmallVector<int64_t> shape(t.getShape());
    shape.erase(shape.begin() + axis);
    return t.clone(shape);
  }();
  if (et.isInteger(1)) {
    masked = e.select(
        mask, v,
        ConstantOp::create(b, loc, t,
                           DenseElementsAttr::get(t, b.getBoolAttr(false))));
    reduced = ReduceOrOp::create(b, loc, resultType, masked, {axis});
  } else if (isa<FloatType>(et)) {
    // max(x, -inf, ...) is x bit for bit (also -0.0 and NaN).
    masked =
        e.select(mask, v, e.like(v, -std::numeric_limits<double>::infinity()));
    reduced = ReduceMaxOp::create(b, loc, resultType, masked, {axis});
  } else {
    masked = e.select(mask, v, e.zerosLike(v));
    reduced = ReduceSumOp::create(b, loc, resultType, masked, {axis});
  }
  return reduced;
}

/// Replaces axis `axis` of `v` (size `old`) by one of size `size`: entry j
/// of the new axis is the entry of the old one that `mask` ([N, size, old],
/// i1) selects for that example, or 0 (-inf for floats) where none is.
Value remapAxis(BatchContext &ctx, Location loc, Value v, int64_t axis,
                int64_t size, Value mask) {
  Emit e{ctx.b, loc};
  auto type = tensorType(v);
  auto expandedType = withDim(type, axis, size); // old axis now at axis + 1
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    dims.push_back(d < axis ? d : d + 1);
  Value expanded = e.broadcast(v, expandedType, dims);
  Value fullMask = e.broadcast(mask, expandedType.clone(ctx.b.getI1Type()),
                               {0, axis, axis + 1});
  return selectAlong(ctx, loc, fullMask, expanded, axis + 1);
}

LogicalResult batchDynamicSliceGather(DynamicSliceOp op,
                                      ArrayRef<Batched> operands,
                                      SmallVectorImpl<Batched> &results,
                                      BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  auto type = tensorType(op.getOperand());
  ArrayRef<int64_t> sizes = op.getSliceSizes();
  Value y = ctx.materialize(operands[0], 0, loc);
  // 1. Axes with a shared start: one dynamic_slice over the batch (batched
  //    axes are kept whole here).
  bool anyShared = false;
  SmallVector<Value> starts;
  SmallVector<int64_t> firstSizes = {ctx.size};
  Type indexType = op.getStartIndices()[0].getType();
  auto zeroIndex = [&] {
    return scalarConstant(
        b, loc, cast<RankedTensorType>(indexType).getElementType(), 0);
  };
  starts.push_back(zeroIndex());
  for (int64_t k = 0; k < type.getRank(); ++k) {
    bool shared = !operands[1 + k].isBatched();
    anyShared |= shared && sizes[k] < type.getDimSize(k);
    starts.push_back(shared ? operands[1 + k].value : zeroIndex());
    firstSizes.push_back(shared ? sizes[k] : type.getDimSize(k));
  }
  if (anyShared) {
    SmallVector<Value> args = {y};
    llvm::append_range(args, starts);
    y = rebuild(b, op, args, {tensorType(y).clone(firstSizes)},
                {i64s(b, "slice_sizes", firstSizes)})
            ->getResult(0);
  }
  // 2. Axes with per-example starts (and a window smaller than the axis):
  //    one-hot selection.
  for (int64_t k = 0; k < type.getRank(); ++k) {
    int64_t dim = type.getDimSize(k), size = sizes[k];
    if (!operands[1 + k].isBatched() || size == dim)
      continue;
    Value start = perExampleStart(ctx, loc, operands[1 + k], dim - size);
    Value mask = oneHotWindow(ctx, loc, start, size, dim, /*windowFirst=*/true);
    y = remapAxis(ctx, loc, y, k + 1, size, mask);
  }
  results.push_back({y, 0});
  return success();
}

LogicalResult batchDynamicUpdateSliceScatter(DynamicUpdateSliceOp op,
                                             ArrayRef<Batched> operands,
                                             SmallVectorImpl<Batched> &results,
                                             BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  Emit e{b, loc};
  auto type = tensorType(op.getOperand());
  auto updateType = tensorType(op.getUpdate());
  Value x = ctx.materialize(operands[0], 0, loc);
  Value u = ctx.materialize(operands[1], 0, loc);
  auto xt = tensorType(x);
  auto maskType = xt.clone(b.getI1Type());
  Value inside;
  for (int64_t k = 0; k < type.getRank(); ++k) {
    int64_t dim = type.getDimSize(k), size = updateType.getDimSize(k);
    Value start = perExampleStart(ctx, loc, operands[2 + k], dim - size);
    // Spread the update along k: [N, .., size at k+1, ..] -> [.., dim, ..].
    Value mask =
        oneHotWindow(ctx, loc, start, size, dim, /*windowFirst=*/false);
    u = remapAxis(ctx, loc, u, k + 1, dim, mask);
    // The window along k: start <= i < start + size.
    auto lineType = RankedTensorType::get({ctx.size, dim},
                                          tensorType(start).getElementType());
    Value index = IotaOp::create(b, loc, lineType, 1);
    Value lo = e.broadcast(start, lineType, {0});
    Value hi = e.add(
        lo, e.broadcast(scalarConstant(b, loc, lineType.getElementType(), size),
                        lineType, {}));
    Value line = AndOp::create(b, loc, lineType.clone(b.getI1Type()),
                               e.compare(ComparisonDirection::GE, index, lo),
                               e.compare(ComparisonDirection::LT, index, hi));
    Value lineFull = e.broadcast(line, maskType, {0, k + 1});
    inside = inside ? (Value)AndOp::create(b, loc, maskType, inside, lineFull)
                    : lineFull;
  }
  Value result = inside ? e.select(inside, u, x) : u;
  results.push_back({result, 0});
  return success();
}

//===----------------------------------------------------------------------===//
// Calls and nested transformation requests
//===----------------------------------------------------------------------===//

/// Custom-rule callees carry their rules in attributes; their batched
/// version needs batched rules (every argument and result batched at 0).
LogicalResult batchRuleAttributes(func::FuncOp callee, func::FuncOp batched,
                                  Location loc, BatchContext &ctx) {
  auto symbols = SymbolTable::getNearestSymbolTable(callee);
  for (StringRef name :
       {"mlax.custom_jvp", "mlax.custom_vjp_fwd", "mlax.custom_vjp_bwd"}) {
    auto ref = callee->getAttrOfType<FlatSymbolRefAttr>(name);
    if (!ref)
      continue;
    auto rule = dyn_cast_or_null<func::FuncOp>(
        SymbolTable::lookupSymbolIn(symbols, ref.getAttr()));
    if (!rule)
      return callee.emitOpError("mlax-batch: unknown rule ") << ref, failure();
    SmallVector<int64_t> allZero(rule.getNumArguments(), 0);
    SmallVector<int64_t> resultsAtZero(rule.getNumResults(), 0);
    auto batchedRule = ctx.batchCallee(rule, allZero, resultsAtZero, loc);
    if (failed(batchedRule))
      return failure();
    batched->setAttr(name,
                     FlatSymbolRefAttr::get(batchedRule->getSymNameAttr()));
  }
  for (StringRef name : {"mlax.remat", "mlax.custom_closure_args"})
    if (Attribute attr = callee->getAttr(name))
      batched->setAttr(name, attr);
  return success();
}

bool hasCustomRules(func::FuncOp f) {
  return f->hasAttr("mlax.custom_jvp") || f->hasAttr("mlax.custom_vjp_fwd");
}

LogicalResult batchCall(func::CallOp call, ArrayRef<Batched> operands,
                        SmallVectorImpl<Batched> &results, BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = call.getLoc();
  // The func.call verifier guarantees the callee.
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      call, call.getCalleeAttr());
  SmallVector<int64_t> inAxes, outAxes;
  SmallVector<Value> args;
  if (hasCustomRules(callee)) {
    // Custom rules see every argument and result batched at 0 (their
    // tangents, cotangents and residuals then share one layout).
    for (const Batched &x : operands) {
      inAxes.push_back(0);
      args.push_back(ctx.materialize(x, 0, loc));
    }
    outAxes.assign(callee.getNumResults(), 0);
  } else {
    // Arguments keep their batch dimension; results that do not depend on
    // a batched argument stay unbatched.
    SmallVector<bool> flags;
    for (const Batched &x : operands) {
      inAxes.push_back(x.dim);
      args.push_back(x.value);
      flags.push_back(x.isBatched());
    }
    for (bool dependent : batchedResults(callee, flags, ctx.axisName))
      outAxes.push_back(dependent ? 0 : -1);
  }
  auto batched = ctx.batchCallee(callee, inAxes, outAxes, loc);
  if (failed(batched))
    return failure();
  if (!(*batched)->hasAttr("mlax.batched_rules")) {
    if (failed(batchRuleAttributes(callee, *batched, loc, ctx)))
      return failure();
    (*batched)->setAttr("mlax.batched_rules", UnitAttr::get(call.getContext()));
  }
  auto newCall = func::CallOp::create(b, loc, *batched, args);
  for (auto [r, axis] : llvm::zip(newCall.getResults(), outAxes))
    results.push_back({r, axis});
  return success();
}

/// batchedResults, with the functions on the call stack (a recursive call
/// is taken to depend on everything).
SmallVector<bool> batchedResultsImpl(func::FuncOp func, ArrayRef<bool> batched,
                                     StringRef axisName,
                                     SmallVectorImpl<Operation *> &stack) {
  SmallVector<bool> all(func.getNumResults(), true);
  if (llvm::is_contained(stack, func.getOperation()) ||
      !func.getBody().hasOneBlock())
    return all;
  stack.push_back(func);
  DenseSet<Value> dependent;
  for (auto [arg, flag] : llvm::zip(func.getArguments(), batched))
    if (flag)
      dependent.insert(arg);
  SmallVector<bool> out = all;
  for (Operation &op : func.getBody().front()) {
    SmallVector<bool> flags;
    for (Value v : op.getOperands())
      flags.push_back(dependent.contains(v));
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      out.assign(flags.begin(), flags.end());
      break;
    }
    if (!llvm::is_contained(flags, true) && !usesAxis(&op, axisName))
      continue;
    SmallVector<bool> results(op.getNumResults(), true);
    if (isa<OptimizationBarrierOp>(op)) {
      results = flags;
    } else if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (callee && !hasCustomRules(callee))
        results = batchedResultsImpl(callee, flags, axisName, stack);
    }
    for (auto [r, flag] : llvm::zip(op.getResults(), results))
      if (flag)
        dependent.insert(r);
  }
  stack.pop_back();
  return out;
}

} // namespace

Value BatchContext::materialize(Batched x, int64_t to, Location loc) {
  Emit e{b, loc};
  auto type = tensorType(x.value);
  if (!x.isBatched()) {
    SmallVector<int64_t> dims;
    for (int64_t d = 0; d < type.getRank(); ++d)
      dims.push_back(d < to ? d : d + 1);
    return e.broadcast(x.value, withDim(type, to, size), dims);
  }
  if (x.dim == to)
    return x.value;
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != x.dim)
      perm.push_back(d);
  perm.insert(perm.begin() + to, x.dim);
  return e.transpose(x.value, perm);
}

SmallVector<bool> mlax::batchedResults(func::FuncOp func,
                                       ArrayRef<bool> batched,
                                       StringRef axisName) {
  SmallVector<Operation *> stack;
  return batchedResultsImpl(func, batched, axisName, stack);
}

LogicalResult mlax::batchOp(Operation *op, ArrayRef<Batched> operands,
                            SmallVectorImpl<Batched> &results,
                            BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op->getLoc();
  int64_t n = ctx.size;
  // Ops with one tensor operand that keep its batch dimension in place
  // (bdim) or move it to the front (0).
  const Batched &x = operands.empty() ? Batched{} : operands[0];
  auto same = [&](Operation *batched, int64_t dim) {
    results.push_back({batched->getResult(0), dim});
    return success();
  };
  Type resultType = op->getNumResults() ? op->getResult(0).getType() : Type();

  if (op->hasTrait<OpTrait::Elementwise>() ||
      isa<SelectOp, ClampOp, StopGradientOp>(op))
    return batchElementwise(op, operands, results, ctx);

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<OptimizationBarrierOp>([&](OptimizationBarrierOp op) {
        // Each value keeps its own batch dimension (or none).
        SmallVector<Value> values;
        SmallVector<Type> types;
        for (const Batched &v : operands) {
          values.push_back(v.value);
          types.push_back(v.value.getType());
        }
        Operation *batched = rebuild(b, op, values, types);
        for (auto [r, v] : llvm::zip(batched->getResults(), operands))
          results.push_back({r, v.dim});
        return success();
      })
      .Case<BroadcastInDimOp>([&](BroadcastInDimOp op) {
        Value front = ctx.materialize(x, 0, loc);
        SmallVector<int64_t> dims = {0};
        for (int64_t d : op.getBroadcastDimensions())
          dims.push_back(d + 1);
        return same(rebuild(b, op, {front}, {withDim(resultType, 0, n)},
                            {i64s(b, "broadcast_dimensions", dims)}),
                    0);
      })
      .Case<ReshapeOp>([&](ReshapeOp op) {
        Value front = ctx.materialize(x, 0, loc);
        return same(rebuild(b, op, {front}, {withDim(resultType, 0, n)}), 0);
      })
      .Case<TransposeOp>([&](TransposeOp op) {
        // The transpose itself moves the batch dimension to the front.
        SmallVector<int64_t> perm = {x.dim};
        llvm::append_range(perm, shifted(op.getPermutation(), x.dim));
        return same(rebuild(b, op, {x.value}, {withDim(resultType, 0, n)},
                            {i64s(b, "permutation", perm)}),
                    0);
      })
      .Case<RevOp>([&](RevOp op) {
        return same(rebuild(b, op, {x.value}, {withDim(resultType, x.dim, n)},
                            {i64s(b, "dimensions",
                                  shifted(op.getDimensions(), x.dim))}),
                    x.dim);
      })
      .Case<SliceOp>([&](SliceOp op) {
        return same(rebuild(b, op, {x.value}, {withDim(resultType, x.dim, n)},
                            {i64s(b, "start_indices",
                                  insertedAt(op.getStartIndices(), x.dim, 0)),
                             i64s(b, "limit_indices",
                                  insertedAt(op.getLimitIndices(), x.dim, n)),
                             i64s(b, "strides",
                                  insertedAt(op.getStrides(), x.dim, 1))}),
                    x.dim);
      })
      .Case<PadOp>([&](PadOp op) -> LogicalResult {
        const Batched &value = operands[1];
        int64_t dim = x.isBatched() ? x.dim : 0;
        Value operand = ctx.materialize(x, dim, loc);
        auto padAttrs = [&](int64_t at) {
          return SmallVector<NamedAttribute>{
              i64s(b, "edge_padding_low",
                   insertedAt(op.getEdgePaddingLow(), at, 0)),
              i64s(b, "edge_padding_high",
                   insertedAt(op.getEdgePaddingHigh(), at, 0)),
              i64s(b, "interior_padding",
                   insertedAt(op.getInteriorPadding(), at, 0))};
        };
        auto batchedType = withDim(resultType, dim, n);
        if (!value.isBatched())
          return same(rebuild(b, op, {operand, value.value}, {batchedType},
                              padAttrs(dim)),
                      dim);
        // A per-example padding value: pad a mask of the operand, then
        // select between the padded operand and the value.
        Emit e{b, loc};
        Type et = batchedType.getElementType();
        Value padded = rebuild(b, op, {operand, scalarConstant(b, loc, et, 0)},
                               {batchedType}, padAttrs(dim))
                           ->getResult(0);
        auto operandMaskType = tensorType(operand).clone(b.getI1Type());
        Value ones = ConstantOp::create(
            b, loc, operandMaskType,
            DenseElementsAttr::get(operandMaskType, b.getBoolAttr(true)));
        Value falseScalar = ConstantOp::create(
            b, loc, RankedTensorType::get({}, b.getI1Type()),
            DenseElementsAttr::get(RankedTensorType::get({}, b.getI1Type()),
                                   b.getBoolAttr(false)));
        Value mask = rebuild(b, op, {ones, falseScalar},
                             {batchedType.clone(b.getI1Type())}, padAttrs(dim))
                         ->getResult(0);
        Value fill = e.broadcast(value.value, batchedType, {dim});
        results.push_back({e.select(mask, padded, fill), dim});
        return success();
      })
      .Case<ConcatenateOp>([&](ConcatenateOp op) {
        int64_t dim = firstBatchDim(operands);
        SmallVector<Value> inputs;
        for (const Batched &v : operands)
          inputs.push_back(ctx.materialize(v, dim, loc));
        int64_t axis = static_cast<int64_t>(op.getDimension());
        return same(rebuild(b, op, inputs, {withDim(resultType, dim, n)},
                            {i64(b, "dimension", axis + (axis >= dim))}),
                    dim);
      })
      .Case<ReduceSumOp, ReduceProdOp, ReduceMaxOp, ReduceMinOp, ReduceAndOp,
            ReduceOrOp>([&](auto op) {
        ArrayRef<int64_t> axes = op.getAxes();
        int64_t before =
            llvm::count_if(axes, [&](int64_t a) { return a < x.dim; });
        int64_t dim = x.dim - before;
        return same(rebuild(b, op, {x.value}, {withDim(resultType, dim, n)},
                            {i64s(b, "axes", shifted(axes, x.dim))}),
                    dim);
      })
      .Case<CumsumOp, CumprodOp, CummaxOp, CumminOp, CumlogsumexpOp>(
          [&](auto op) {
            int64_t axis = op.getAxis();
            return same(rebuild(b, op, {x.value},
                                {withDim(resultType, x.dim, n)},
                                {i64(b, "axis", axis + (axis >= x.dim))}),
                        x.dim);
          })
      .Case<ArgMaxOp, ArgMinOp>([&](auto op) {
        int64_t axis = static_cast<int64_t>(op.getAxis());
        int64_t dim = x.dim - (axis < x.dim ? 1 : 0);
        return same(rebuild(b, op, {x.value}, {withDim(resultType, dim, n)},
                            {i64(b, "axis", axis + (axis >= x.dim))}),
                    dim);
      })
      .Case<DotGeneralOp>([&](DotGeneralOp op) {
        return batchDotGeneral(op, operands, results, ctx);
      })
      .Case<DynamicSliceOp>([&](DynamicSliceOp op) -> LogicalResult {
        if (llvm::any_of(operands.drop_front(),
                         [](const Batched &s) { return s.isBatched(); }))
          return batchDynamicSliceGather(op, operands, results, ctx);
        // Shared starts: the batch dimension is sliced whole, from 0.
        SmallVector<Value> args = {x.value};
        Type indexType = op.getStartIndices().empty()
                             ? RankedTensorType::get({}, b.getI32Type())
                             : op.getStartIndices()[0].getType();
        Value zero = scalarConstant(
            b, loc, cast<RankedTensorType>(indexType).getElementType(), 0);
        for (const Batched &s : operands.drop_front())
          args.push_back(s.value);
        args.insert(args.begin() + 1 + x.dim, zero);
        return same(rebuild(b, op, args, {withDim(resultType, x.dim, n)},
                            {i64s(b, "slice_sizes",
                                  insertedAt(op.getSliceSizes(), x.dim, n))}),
                    x.dim);
      })
      .Case<DynamicUpdateSliceOp>([&](DynamicUpdateSliceOp op)
                                      -> LogicalResult {
        if (llvm::any_of(operands.drop_front(2),
                         [](const Batched &s) { return s.isBatched(); }))
          return batchDynamicUpdateSliceScatter(op, operands, results, ctx);
        int64_t dim = firstBatchDim(operands.take_front(2));
        Type indexType = op.getStartIndices().empty()
                             ? RankedTensorType::get({}, b.getI32Type())
                             : op.getStartIndices()[0].getType();
        SmallVector<Value> args = {ctx.materialize(operands[0], dim, loc),
                                   ctx.materialize(operands[1], dim, loc)};
        for (const Batched &s : operands.drop_front(2))
          args.push_back(s.value);
        args.insert(
            args.begin() + 2 + dim,
            scalarConstant(
                b, loc, cast<RankedTensorType>(indexType).getElementType(), 0));
        return same(rebuild(b, op, args, {withDim(resultType, dim, n)}), dim);
      })
      .Case<func::CallOp>([&](func::CallOp call) {
        return batchCall(call, operands, results, ctx);
      })
      .Case<PsumOp, AllGatherOp, PsumScatterOp, AllToAllOp, PpermuteOp,
            AxisIndexOp>([&](Operation *op) {
        return batchCollective(op, operands, results, ctx);
      })
      .Case<ShardMapOp>([&](ShardMapOp op) {
        return batchShardMap(op, operands, results, ctx);
      })
      .Case<ShardingConstraintOp>([&](ShardingConstraintOp op) {
        return batchShardingConstraint(op, operands, results, ctx);
      })
      .Case<CondOp>(
          [&](CondOp op) { return batchCond(op, operands, results, ctx); })
      .Case<WhileOp>(
          [&](WhileOp op) { return batchWhile(op, operands, results, ctx); })
      .Case<ScanOp>(
          [&](ScanOp op) { return batchScan(op, operands, results, ctx); })
      .Case<GatherOp>(
          [&](GatherOp op) { return batchGather(op, operands, results, ctx); })
      .Case<ScatterOp>([&](ScatterOp op) {
        return batchScatter(op, operands, results, ctx);
      })
      .Case<SortOp>(
          [&](SortOp op) { return batchSort(op, operands, results, ctx); })
      .Case<TopKOp>(
          [&](TopKOp op) { return batchTopK(op, operands, results, ctx); })
      .Case<HostCallbackOp>([&](HostCallbackOp op) {
        return batchHostCallback(op, operands, results, ctx);
      })
      .Default([&](Operation *op) {
        return op->emitOpError("mlax-batch: no batching rule for this op");
      });
}
