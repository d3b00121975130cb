//===- SpmdBatchRules.cpp - batching collectives and shard_map ------------===//
//
// vmap(f, axis_name="v") makes the examples the devices of a mesh axis "v",
// so a collective over "v" works across the batch dimension, as in JAX:
//   psum over v          -> a reduction over the batch dimension (shared)
//   axis_index over v    -> iota along the batch dimension
//   all_gather over v    -> the batch dimension moved to `dimension` (merged
//                           into it when tiled); the result is shared
//   psum_scatter over v  -> the sum over examples; the scattered dimension
//                           becomes the batch dimension (split when tiled)
//   all_to_all over v    -> the chunk index of the split dimension becomes
//                           the batch dimension, the batch dimension joins
//                           the concatenated one
//   ppermute over v      -> the examples permuted (zeros where none arrives)
// psum and axis_index may name "v" with other axes (the rest is a
// collective over those); the others name "v" alone. A collective over
// other axes runs on the batched value, with the batch dimension in front.
// A shard_map batches its callee: batched values get a replicated leading
// dimension in the specs; a sharding constraint leaves the batch dimension
// unsplit.
//
//===----------------------------------------------------------------------===//

#include "passes/batching/BatchRules.h"

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/TransformRequests.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlax;

namespace {

Value intSplat(OpBuilder &b, Location loc, RankedTensorType t, int64_t v) {
  return ConstantOp::create(
      b, loc, t,
      DenseElementsAttr::get(t, b.getIntegerAttr(t.getElementType(), v)));
}

/// The collective's axes other than `axis`, with their sizes.
void otherAxes(Operation *op, StringRef axis, SmallVectorImpl<StringRef> &names,
               SmallVectorImpl<int64_t> &sizes) {
  auto all = op->getAttrOfType<ArrayAttr>("axis_names");
  auto allSizes = op->getAttrOfType<DenseI64ArrayAttr>("axis_sizes");
  for (auto [name, size] : llvm::zip(all, allSizes.asArrayRef()))
    if (cast<StringAttr>(name).getValue() != axis) {
      names.push_back(cast<StringAttr>(name).getValue());
      sizes.push_back(size);
    }
}

Value reduceOverFront(OpBuilder &b, Location loc, Reduction kind, Value x) {
  auto t = cast<RankedTensorType>(x.getType());
  auto out = t.clone(t.getShape().drop_front());
  SmallVector<int64_t> axes = {0};
  switch (kind) {
  case Reduction::SUM:
    return ReduceSumOp::create(b, loc, out, x, axes);
  case Reduction::MAX:
    return ReduceMaxOp::create(b, loc, out, x, axes);
  case Reduction::MIN:
    return ReduceMinOp::create(b, loc, out, x, axes);
  case Reduction::AND:
    return ReduceAndOp::create(b, loc, out, x, axes);
  case Reduction::OR:
    return ReduceOrOp::create(b, loc, out, x, axes);
  }
  llvm_unreachable("covered switch");
}

/// psum / axis_index over the vmapped axis (maybe with others).
LogicalResult batchOverAxis(Operation *op, ArrayRef<Batched> operands,
                            SmallVectorImpl<Batched> &results,
                            BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op->getLoc();
  Emit e{b, loc};
  int64_t n = ctx.size;
  SmallVector<StringRef> rest;
  SmallVector<int64_t> restSizes;
  otherAxes(op, ctx.axisName, rest, restSizes);
  auto restAttr = b.getStrArrayAttr(rest);
  if (auto psum = dyn_cast<PsumOp>(op)) {
    Value front = ctx.materialize(operands[0], 0, loc);
    Value r = reduceOverFront(b, loc, psum.getReduction(), front);
    if (!rest.empty())
      r = PsumOp::create(b, loc, r.getType(), r, psum.getReduction(), restAttr,
                         restSizes);
    results.push_back({r, -1});
    return success();
  }
  if (auto index = dyn_cast<AxisIndexOp>(op)) {
    // Row-major over the named axes: ((i0 * s1 + i1) * s2 + i2) ...
    auto t = RankedTensorType::get({n}, b.getI32Type());
    Value acc;
    for (auto [name, size] :
         llvm::zip(index.getAxisNames(), index.getAxisSizes())) {
      StringRef axis = cast<StringAttr>(name).getValue();
      Value idx;
      if (axis == ctx.axisName) {
        idx = IotaOp::create(b, loc, t, 0);
      } else {
        auto scalar = RankedTensorType::get({}, b.getI32Type());
        Value one = AxisIndexOp::create(b, loc, scalar, b.getStrArrayAttr(axis),
                                        ArrayRef<int64_t>{size});
        idx = e.broadcast(one, t, {});
      }
      acc = acc ? e.add(e.mul(acc, intSplat(b, loc, t, size)), idx) : idx;
    }
    results.push_back({acc, 0});
    return success();
  }
  if (!rest.empty())
    return op->emitOpError("mlax-batch: a collective over the vmapped axis '")
           << ctx.axisName
           << "' together with other axes is not supported yet (psum and "
              "axis_index are)";
  Value x = ctx.materialize(operands[0], 0, loc); // (n, S...)
  auto xt = cast<RankedTensorType>(x.getType());
  int64_t rank = xt.getRank() - 1;
  // The permutation that moves the batch dimension to position `k` of S.
  auto frontTo = [&](int64_t k) {
    SmallVector<int64_t> perm;
    for (int64_t d = 1; d <= rank; ++d) {
      if (d - 1 == k)
        perm.push_back(0);
      perm.push_back(d);
    }
    if (k == rank)
      perm.push_back(0);
    return perm;
  };
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<AllGatherOp>([&](AllGatherOp g) {
        int64_t k = g.getDimension();
        Value moved = e.transpose(x, frontTo(k));
        Value r =
            e.reshape(moved, cast<RankedTensorType>(g.getType()).getShape());
        results.push_back({r, -1});
        return success();
      })
      .Case<PsumScatterOp>([&](PsumScatterOp s) {
        int64_t k = s.getDimension();
        Value sum = e.reduceSum(x, {0});
        auto outShape = cast<RankedTensorType>(s.getType()).getShape();
        SmallVector<int64_t> shape(outShape);
        shape.insert(shape.begin() + k, n);
        results.push_back({e.reshape(sum, shape), k});
        return success();
      })
      .Case<AllToAllOp>([&](AllToAllOp a) {
        int64_t s = a.getSplitDimension(), c = a.getConcatDimension();
        ArrayRef<int64_t> shape = xt.getShape().drop_front();
        int64_t m = shape[s] / n;
        // Y = (j, S[:s], i, m, S[s+1:]).
        SmallVector<int64_t> yShape = {n};
        for (int64_t d = 0; d < rank; ++d) {
          if (d == s)
            yShape.append({n, m});
          else
            yShape.push_back(shape[d]);
        }
        Value y = e.reshape(x, yShape);
        auto pos = [&](int64_t d) { return d < s ? d + 1 : d + 2; };
        SmallVector<int64_t> perm = {s + 1};
        SmallVector<int64_t> outShape = {n};
        for (int64_t d = 0; d < rank; ++d) {
          int64_t size = d == s ? m : shape[d];
          if (d == c) {
            perm.push_back(0);
            perm.push_back(pos(d));
            outShape.push_back(n * size);
          } else {
            perm.push_back(pos(d));
            outShape.push_back(size);
          }
        }
        results.push_back({e.reshape(e.transpose(y, perm), outShape), 0});
        return success();
      })
      .Case<PpermuteOp>([&](PpermuteOp p) {
        SmallVector<int64_t> source(n, -1);
        ArrayRef<int64_t> pairs = p.getPairs();
        for (size_t i = 0; i + 1 < pairs.size(); i += 2)
          source[pairs[i + 1]] = pairs[i];
        SmallVector<int64_t> rowShape(xt.getShape());
        rowShape[0] = 1;
        auto rowType = xt.clone(rowShape);
        SmallVector<int64_t> strides(xt.getRank(), 1);
        SmallVector<Value> rows;
        Value zeros;
        for (int64_t i = 0; i < n; ++i) {
          if (source[i] < 0) {
            if (!zeros)
              zeros = ConstantOp::create(
                  b, loc, rowType,
                  DenseElementsAttr::get(rowType,
                                         b.getZeroAttr(xt.getElementType())));
            rows.push_back(zeros);
            continue;
          }
          SmallVector<int64_t> start(xt.getRank(), 0), limit(xt.getShape());
          start[0] = source[i];
          limit[0] = source[i] + 1;
          rows.push_back(
              SliceOp::create(b, loc, rowType, x, start, limit, strides));
        }
        Value r = rows.size() == 1
                      ? rows[0]
                      : (Value)ConcatenateOp::create(b, loc, xt, rows, 0);
        results.push_back({r, 0});
        return success();
      })
      .Default([&](Operation *op) {
        return op->emitOpError("mlax-batch: no batching rule for this op");
      });
}

/// A collective over other axes, on a value batched in front.
LogicalResult batchOverOtherAxes(Operation *op, ArrayRef<Batched> operands,
                                 SmallVectorImpl<Batched> &results,
                                 BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op->getLoc();
  int64_t n = ctx.size;
  if (isa<PsumOp, PpermuteOp>(op)) {
    // Elementwise across devices: the batch dimension stays where it is.
    OperationState state(loc, op->getName());
    state.addOperands(operands[0].value);
    state.addTypes(operands[0].value.getType());
    state.addAttributes(op->getAttrs());
    results.push_back({b.create(state)->getResult(0), operands[0].dim});
    return success();
  }
  Value x = ctx.materialize(operands[0], 0, loc);
  NamedAttrList attrs(op->getAttrDictionary());
  for (StringRef name : {"dimension", "split_dimension", "concat_dimension"})
    if (auto dim = op->getAttrOfType<IntegerAttr>(name))
      attrs.set(name, b.getI64IntegerAttr(dim.getInt() + 1));
  OperationState state(loc, op->getName());
  state.addOperands(x);
  state.addTypes(withFront(op->getResult(0).getType(), n));
  state.addAttributes(attrs);
  results.push_back({b.create(state)->getResult(0), 0});
  return success();
}

bool namesAxis(Operation *op, StringRef axis) {
  auto names = op->getAttrOfType<ArrayAttr>("axis_names");
  return names && llvm::any_of(names, [&](Attribute a) {
           return cast<StringAttr>(a).getValue() == axis;
         });
}

} // namespace

bool mlax::isCollective(Operation *op) {
  return isa<PsumOp, AllGatherOp, PsumScatterOp, AllToAllOp, PpermuteOp,
             AxisIndexOp>(op);
}

bool mlax::usesAxis(Operation *op, StringRef axis) {
  if (axis.empty())
    return false;
  if (isCollective(op))
    return namesAxis(op, axis);
  auto callee = op->getAttrOfType<FlatSymbolRefAttr>("callee");
  if (!callee)
    return false;
  auto module = op->getParentOfType<ModuleOp>();
  auto target = module ? module.lookupSymbol<func::FuncOp>(callee.getAttr())
                       : func::FuncOp();
  if (!target)
    return false;
  SymbolTable symbols(module);
  return reaches(target, symbols, [&](Operation *o) {
    return isCollective(o) && namesAxis(o, axis);
  });
}

LogicalResult mlax::batchCollective(Operation *op, ArrayRef<Batched> operands,
                                    SmallVectorImpl<Batched> &results,
                                    BatchContext &ctx) {
  if (!ctx.axisName.empty() && namesAxis(op, ctx.axisName)) {
    auto names = op->getAttrOfType<ArrayAttr>("axis_names");
    auto sizes = op->getAttrOfType<DenseI64ArrayAttr>("axis_sizes");
    for (auto [name, size] : llvm::zip(names, sizes.asArrayRef()))
      if (cast<StringAttr>(name).getValue() == ctx.axisName && size != ctx.size)
        return op->emitOpError("mlax-batch: axis '")
               << ctx.axisName << "' has size " << size
               << " here but vmap maps over " << ctx.size << " examples";
    return batchOverAxis(op, operands, results, ctx);
  }
  return batchOverOtherAxes(op, operands, results, ctx);
}

LogicalResult mlax::batchShardingConstraint(ShardingConstraintOp op,
                                            ArrayRef<Batched> operands,
                                            SmallVectorImpl<Batched> &results,
                                            BatchContext &ctx) {
  // The batch dimension is not split: an empty entry where it sits.
  const Batched &x = operands[0];
  SmallVector<Attribute> dims(op.getSharding().begin(), op.getSharding().end());
  dims.insert(dims.begin() + x.dim, ctx.b.getArrayAttr({}));
  auto batched = ShardingConstraintOp::create(
      ctx.b, op.getLoc(), x.value.getType(), x.value, op.getMeshAxes(),
      op.getMeshShape(), ctx.b.getArrayAttr(dims));
  results.push_back({batched, x.dim});
  return success();
}

LogicalResult mlax::batchShardMap(ShardMapOp op, ArrayRef<Batched> operands,
                                  SmallVectorImpl<Batched> &results,
                                  BatchContext &ctx) {
  OpBuilder &b = ctx.b;
  Location loc = op.getLoc();
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, op.getCalleeAttr());
  auto replicatedFront = [&](Attribute spec) {
    SmallVector<Attribute> dims = {b.getArrayAttr({})};
    llvm::append_range(dims, cast<ArrayAttr>(spec));
    return (Attribute)b.getArrayAttr(dims);
  };
  SmallVector<Value> inputs;
  SmallVector<int64_t> inAxes;
  SmallVector<bool> flags;
  SmallVector<Attribute> inSpecs;
  for (auto [x, spec] : llvm::zip(operands, op.getInSpecs())) {
    flags.push_back(x.isBatched());
    inAxes.push_back(x.isBatched() ? 0 : -1);
    inputs.push_back(x.isBatched() ? ctx.materialize(x, 0, loc) : x.value);
    inSpecs.push_back(x.isBatched() ? replicatedFront(spec) : spec);
  }
  SmallVector<int64_t> outAxes;
  SmallVector<Type> outTypes;
  SmallVector<Attribute> outSpecs;
  for (auto [dependent, r, spec] :
       llvm::zip(batchedResults(callee, flags, ctx.axisName), op.getResults(),
                 op.getOutSpecs())) {
    outAxes.push_back(dependent ? 0 : -1);
    outTypes.push_back(dependent ? withFront(r.getType(), ctx.size)
                                 : r.getType());
    outSpecs.push_back(dependent ? replicatedFront(spec) : spec);
  }
  auto batched = ctx.batchCallee(callee, inAxes, outAxes, loc);
  if (failed(batched))
    return failure();
  auto mapped = ShardMapOp::create(
      b, loc, outTypes, batched->getSymName(), inputs, op.getMeshAxes(),
      op.getMeshShape(), b.getArrayAttr(inSpecs), b.getArrayAttr(outSpecs));
  for (auto [r, axis] : llvm::zip(mapped.getResults(), outAxes))
    results.push_back({r, axis});
  return success();
}
