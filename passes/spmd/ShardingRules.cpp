//===- ShardingRules.cpp - one sharding rule per mlax op ------------------===//
//
// The table: which factors each op's dimensions belong to (see
// ShardingRules.h). Families:
//   elementwise (and select, clamp, convert, threefry2x32, ...): one factor
//       per result dimension, shared by every operand of full rank;
//   broadcast_in_dim, transpose: factors follow the dimension maps;
//   reshape: a dimension kept whole (same size, same elements before it)
//       keeps its factor; split or merged dimensions replicate;
//   reductions: reduced dimensions are reduction factors (psum/pmax/pmin;
//       prod and argmax/argmin replicate them);
//   dot_general: batch, lhs free, rhs free and contracting factors, the
//       last combined by a sum;
//   slice, pad, rev, concatenate, dynamic_slice, dynamic_update_slice:
//       dimensions they cut, pad, reverse or join replicate; the others
//       pass through;
//   iota and constants: the counting dimension of an iota and every
//       dimension of a non-splat constant replicate;
//   sort, top_k, cumlogsumexp: the sorted (scanned) dimension replicates,
//       the others pass through every operand and result;
//   cumsum/cumprod/cummax/cummin: every dimension passes through (a split
//       scanned dimension gets the partitioner's carry between blocks);
//   gather: index batch dims and the operand's whole dims pass through to
//       the result; an indexed dim (clip / promise_in_bounds) is a
//       reduction factor summed by a psum: each device reads its own rows
//       (indices shifted by its block start, others read as 0,
//       MlaxSpmdPartition.cpp);
//   scatter: the operand's indexed and whole dims stay with the result
//       (each device writes the updates that land in its block, the others
//       dropped); the indices and the updates' index batch dims replicate.
// Collectives, calls and requests have no rule.
//
//===----------------------------------------------------------------------===//

#include "passes/spmd/ShardingRules.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlax;

bool ShardingRule::isReductionFactor(int64_t f) const {
  for (const auto &dims : results)
    if (llvm::is_contained(dims, f))
      return false;
  return true;
}

ShardingRule::FactorAxes
ShardingRule::resolve(ArrayRef<const Sharding *> operandShardings,
                      ArrayRef<const Sharding *> resultShardings,
                      const Mesh &mesh) const {
  FactorAxes axes(factorSizes.size());
  SmallVector<bool> decided(factorSizes.size(), false);
  llvm::StringSet<> used;
  auto offer = [&](ArrayRef<int64_t> dims, const Sharding *sharding) {
    if (!sharding)
      return;
    for (auto [d, f] : llvm::enumerate(dims)) {
      if (f < 0 || decided[f] || d >= sharding->size() ||
          (*sharding)[d].empty())
        continue;
      decided[f] = true;
      if (replicate[f] || (isReductionFactor(f) && !reduction))
        continue;
      const DimSharding &want = (*sharding)[d];
      if (llvm::any_of(want, [&](StringRef a) {
            return used.contains(a) || !mesh.has(a);
          }))
        continue;
      if (factorSizes[f] % mesh.size(want) != 0)
        continue;
      for (StringRef a : want)
        used.insert(a);
      axes[f] = want;
    }
  };
  for (auto [dims, s] : llvm::zip(results, resultShardings))
    offer(dims, s);
  for (auto [dims, s] : llvm::zip(operands, operandShardings))
    offer(dims, s);
  return axes;
}

Sharding ShardingRule::project(ArrayRef<int64_t> dims,
                               const FactorAxes &factors) const {
  Sharding out(dims.size());
  for (auto [d, f] : llvm::enumerate(dims))
    if (f >= 0)
      out[d] = factors[f];
  return out;
}

namespace {

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

/// One factor per dimension of result 0; every result and every operand
/// of the same rank maps its dimensions to them; lower-rank (0-d)
/// operands map nothing.
ShardingRule elementwise(Operation *op) {
  ShardingRule rule;
  ArrayRef<int64_t> shape = shapeOf(op->getResult(0));
  SmallVector<int64_t> ids;
  for (int64_t s : shape)
    ids.push_back(rule.addFactor(s));
  auto map = [&](Value v) {
    ArrayRef<int64_t> vs = shapeOf(v);
    return vs == shape ? ids : SmallVector<int64_t>(vs.size(), -1);
  };
  for (Value v : op->getOperands())
    rule.operands.push_back(map(v));
  for (Value v : op->getResults())
    rule.results.push_back(map(v));
  return rule;
}

/// One factor per dimension shared by the (single) operand and result;
/// `replicated(d)` says which must not be split.
ShardingRule sameShape(Operation *op, function_ref<bool(int64_t)> replicated,
                       int64_t extraOperands = 0) {
  ShardingRule rule;
  SmallVector<int64_t> ids;
  for (auto [d, s] : llvm::enumerate(shapeOf(op->getResult(0))))
    ids.push_back(rule.addFactor(s, replicated(d)));
  rule.operands.push_back(ids);
  for (int64_t i = 0; i < extraOperands; ++i)
    rule.operands.push_back(
        SmallVector<int64_t>(shapeOf(op->getOperand(1 + i)).size(), -1));
  rule.results.push_back(ids);
  return rule;
}

/// Reductions over `axes` of operand 0 (more operands, such as argmax's
/// nothing, map no dimension).
ShardingRule reduction(Operation *op, ArrayRef<int64_t> axes,
                       std::optional<Reduction> kind) {
  ShardingRule rule;
  rule.reduction = kind;
  SmallVector<int64_t> in, out;
  for (auto [d, s] : llvm::enumerate(shapeOf(op->getOperand(0)))) {
    bool reduced = llvm::is_contained(axes, (int64_t)d);
    int64_t f = rule.addFactor(s, reduced && !kind);
    in.push_back(f);
    if (!reduced)
      out.push_back(f);
  }
  rule.operands.push_back(in);
  for (unsigned i = 1; i < op->getNumOperands(); ++i)
    rule.operands.push_back(
        SmallVector<int64_t>(shapeOf(op->getOperand(i)).size(), -1));
  for (Value r : op->getResults()) {
    (void)r;
    rule.results.push_back(out);
  }
  return rule;
}

ShardingRule dotGeneral(DotGeneralOp op) {
  ShardingRule rule;
  rule.reduction = Reduction::SUM;
  ArrayRef<int64_t> lhs = shapeOf(op.getLhs()), rhs = shapeOf(op.getRhs());
  SmallVector<int64_t> l(lhs.size(), -1), r(rhs.size(), -1), out;
  for (auto [lb, rb] : llvm::zip(op.getLhsBatchingDimensions(),
                                 op.getRhsBatchingDimensions())) {
    int64_t f = rule.addFactor(lhs[lb]);
    l[lb] = r[rb] = f;
    out.push_back(f);
  }
  for (auto [lc, rc] : llvm::zip(op.getLhsContractingDimensions(),
                                 op.getRhsContractingDimensions()))
    l[lc] = r[rc] = rule.addFactor(lhs[lc]);
  for (auto [d, f] : llvm::enumerate(l))
    if (f < 0) {
      f = rule.addFactor(lhs[d]);
      out.push_back(f);
    }
  for (auto [d, f] : llvm::enumerate(r))
    if (f < 0) {
      f = rule.addFactor(rhs[d]);
      out.push_back(f);
    }
  rule.operands = {l, r};
  rule.results = {out};
  return rule;
}

ShardingRule broadcastInDim(BroadcastInDimOp op) {
  ShardingRule rule;
  ArrayRef<int64_t> in = shapeOf(op.getOperand()), out = shapeOf(op);
  SmallVector<int64_t> ids;
  for (int64_t s : out)
    ids.push_back(rule.addFactor(s));
  SmallVector<int64_t> operand;
  for (auto [d, to] : llvm::enumerate(op.getBroadcastDimensions()))
    operand.push_back(in[d] == out[to] ? ids[to] : -1);
  rule.operands = {operand};
  rule.results = {ids};
  return rule;
}

ShardingRule transpose(TransposeOp op) {
  ShardingRule rule;
  SmallVector<int64_t> out, in(op.getPermutation().size(), -1);
  for (auto [j, p] : llvm::enumerate(op.getPermutation())) {
    out.push_back(rule.addFactor(shapeOf(op)[j]));
    in[p] = out.back();
  }
  rule.operands = {in};
  rule.results = {out};
  return rule;
}

/// A dimension keeps its factor when it is kept whole: same size and the
/// same number of elements before it on both sides.
ShardingRule reshape(ReshapeOp op) {
  ShardingRule rule;
  ArrayRef<int64_t> in = shapeOf(op.getOperand()), out = shapeOf(op);
  SmallVector<int64_t> inIds(in.size(), -1), outIds;
  int64_t before = 1;
  for (int64_t s : out) {
    int64_t inBefore = 1, match = -1;
    for (auto [d, t] : llvm::enumerate(in)) {
      if (inBefore == before && t == s) {
        match = d;
        break;
      }
      inBefore *= t;
    }
    int64_t f = rule.addFactor(s, match < 0);
    outIds.push_back(f);
    if (match >= 0)
      inIds[match] = f;
    before *= s;
  }
  rule.operands = {inIds};
  rule.results = {outIds};
  return rule;
}

ShardingRule concatenate(ConcatenateOp op) {
  ShardingRule rule;
  int64_t axis = op.getDimension();
  SmallVector<int64_t> ids;
  for (auto [d, s] : llvm::enumerate(shapeOf(op)))
    ids.push_back(d == (size_t)axis ? -1 : rule.addFactor(s));
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    rule.operands.push_back(ids);
  rule.results = {ids};
  return rule;
}

ShardingRule constant(ConstantOp op) {
  bool splat = op.getValue().isSplat();
  ShardingRule rule;
  SmallVector<int64_t> ids;
  for (int64_t s : shapeOf(op))
    ids.push_back(rule.addFactor(s, !splat));
  rule.results = {ids};
  return rule;
}

/// Several operands and results of one shape sharing one factor per
/// dimension; dimension `along` replicates.
ShardingRule sameShapeAll(Operation *op, int64_t along) {
  ShardingRule rule;
  SmallVector<int64_t> ids;
  for (auto [d, s] : llvm::enumerate(shapeOf(op->getOperand(0))))
    ids.push_back(rule.addFactor(s, (int64_t)d == along));
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    rule.operands.push_back(ids);
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    rule.results.push_back(ids);
  return rule;
}

ShardingRule topK(TopKOp op) {
  ShardingRule rule;
  ArrayRef<int64_t> in = shapeOf(op.getOperand());
  SmallVector<int64_t> operand, result;
  for (auto [d, s] : llvm::enumerate(in)) {
    bool last = d + 1 == in.size();
    operand.push_back(rule.addFactor(s, last));
    result.push_back(last ? rule.addFactor(op.getK(), true) : operand.back());
  }
  rule.operands = {operand};
  rule.results = {result, result};
  return rule;
}

// host_callback: every dimension of every operand and result is its own
// replicated factor, so the host function sees whole arrays (JAX hands a
// callback the full values too) and each device gets the whole results.
ShardingRule hostCallback(HostCallbackOp op) {
  ShardingRule rule;
  auto whole = [&](Value v) {
    SmallVector<int64_t> ids;
    for (int64_t s : shapeOf(v))
      ids.push_back(rule.addFactor(s, true));
    return ids;
  };
  for (Value v : op.getInputs())
    rule.operands.push_back(whole(v));
  for (Value v : op.getResults())
    rule.results.push_back(whole(v));
  return rule;
}

ShardingRule gather(GatherOp op) {
  ShardingRule rule;
  rule.reduction = Reduction::SUM;
  ArrayRef<int64_t> in = shapeOf(op.getOperand()),
                    idx = shapeOf(op.getIndices());
  SmallVector<int64_t> operand, indices, result;
  for (int64_t s : idx.drop_back()) {
    indices.push_back(rule.addFactor(s));
    result.push_back(indices.back());
  }
  indices.push_back(-1);
  for (auto [d, s] : llvm::enumerate(in)) {
    bool indexed = llvm::is_contained(op.getDims(), (int64_t)d);
    // A filled read must give the fill value, not a sum of zeros.
    operand.push_back(
        rule.addFactor(s, indexed && op.getMode() == IndexMode::fill));
    if (!indexed)
      result.push_back(operand.back());
  }
  rule.operands = {operand, indices};
  rule.results = {result};
  return rule;
}

ShardingRule scatter(ScatterOp op) {
  ShardingRule rule;
  ArrayRef<int64_t> in = shapeOf(op.getOperand()),
                    idx = shapeOf(op.getIndices());
  SmallVector<int64_t> operand, updates(idx.size() - 1, -1);
  for (auto [d, s] : llvm::enumerate(in)) {
    operand.push_back(rule.addFactor(s));
    if (!llvm::is_contained(op.getDims(), (int64_t)d))
      updates.push_back(operand.back());
  }
  rule.operands = {operand, SmallVector<int64_t>(idx.size(), -1), updates};
  rule.results = {operand};
  return rule;
}

} // namespace

std::optional<ShardingRule> mlax::shardingRule(Operation *op) {
  if (op->getNumResults() == 0 ||
      !llvm::all_of(op->getResultTypes(), llvm::IsaPred<RankedTensorType>) ||
      !llvm::all_of(op->getOperandTypes(), llvm::IsaPred<RankedTensorType>))
    return std::nullopt;
  if (op->hasTrait<OpTrait::Elementwise>() ||
      isa<SelectOp, ClampOp, StopGradientOp, ConvertOp, Threefry2x32Op,
          ShardingConstraintOp>(op))
    return elementwise(op);
  return llvm::TypeSwitch<Operation *, std::optional<ShardingRule>>(op)
      .Case<BitcastConvertOp>(
          [&](BitcastConvertOp o) -> std::optional<ShardingRule> {
            if (shapeOf(o.getOperand()) == shapeOf(o))
              return elementwise(o);
            return std::nullopt;
          })
      .Case<OptimizationBarrierOp>(
          [&](OptimizationBarrierOp o) -> std::optional<ShardingRule> {
            ShardingRule rule;
            for (Value v : o->getOperands()) {
              SmallVector<int64_t> ids;
              for (int64_t s : shapeOf(v))
                ids.push_back(rule.addFactor(s));
              rule.operands.push_back(ids);
              rule.results.push_back(ids);
            }
            return rule;
          })
      .Case<ConstantOp>([&](ConstantOp o) { return constant(o); })
      .Case<IotaOp>([&](IotaOp o) {
        ShardingRule rule;
        SmallVector<int64_t> ids;
        for (auto [d, s] : llvm::enumerate(shapeOf(o)))
          ids.push_back(rule.addFactor(s, d == o.getIotaDimension()));
        rule.results = {ids};
        return rule;
      })
      .Case<BroadcastInDimOp>(
          [&](BroadcastInDimOp o) { return broadcastInDim(o); })
      .Case<TransposeOp>([&](TransposeOp o) { return transpose(o); })
      .Case<ReshapeOp>([&](ReshapeOp o) { return reshape(o); })
      .Case<RevOp>([&](RevOp o) {
        return sameShape(o, [&](int64_t d) {
          return llvm::is_contained(o.getDimensions(), d);
        });
      })
      .Case<SliceOp>([&](SliceOp o) {
        ArrayRef<int64_t> in = shapeOf(o.getOperand());
        return sameShape(o, [&](int64_t d) {
          return o.getStartIndices()[d] != 0 ||
                 o.getLimitIndices()[d] != in[d] || o.getStrides()[d] != 1;
        });
      })
      .Case<PadOp>([&](PadOp o) {
        return sameShape(
            o,
            [&](int64_t d) {
              return o.getEdgePaddingLow()[d] != 0 ||
                     o.getEdgePaddingHigh()[d] != 0 ||
                     o.getInteriorPadding()[d] != 0;
            },
            /*extraOperands=*/1);
      })
      .Case<DynamicSliceOp>([&](DynamicSliceOp o) {
        ArrayRef<int64_t> in = shapeOf(o.getOperand());
        return sameShape(
            o, [&](int64_t d) { return o.getSliceSizes()[d] != in[d]; },
            o.getStartIndices().size());
      })
      .Case<DynamicUpdateSliceOp>([&](DynamicUpdateSliceOp o) {
        ArrayRef<int64_t> update = shapeOf(o.getUpdate());
        ShardingRule rule = sameShape(
            o, [&](int64_t d) { return update[d] != shapeOf(o)[d]; },
            1 + o.getStartIndices().size());
        rule.operands[1] = rule.operands[0];
        return rule;
      })
      .Case<ConcatenateOp>([&](ConcatenateOp o) { return concatenate(o); })
      .Case<ReduceSumOp>([&](ReduceSumOp o) {
        return reduction(o, o.getAxes(), Reduction::SUM);
      })
      .Case<ReduceMaxOp>([&](ReduceMaxOp o) {
        return reduction(o, o.getAxes(), Reduction::MAX);
      })
      .Case<ReduceMinOp>([&](ReduceMinOp o) {
        return reduction(o, o.getAxes(), Reduction::MIN);
      })
      .Case<ReduceAndOp>([&](ReduceAndOp o) {
        return reduction(o, o.getAxes(), Reduction::AND);
      })
      .Case<ReduceOrOp>([&](ReduceOrOp o) {
        return reduction(o, o.getAxes(), Reduction::OR);
      })
      .Case<ReduceProdOp>([&](ReduceProdOp o) {
        return reduction(o, o.getAxes(), std::nullopt);
      })
      .Case<ArgMaxOp, ArgMinOp>([&](auto o) {
        return reduction(o, {static_cast<int64_t>(o.getAxis())}, std::nullopt);
      })
      .Case<DotGeneralOp>([&](DotGeneralOp o) { return dotGeneral(o); })
      .Case<SortOp>([&](SortOp o) { return sameShapeAll(o, o.getDimension()); })
      // The partitioner carries a scan across split blocks (no replication
      // of the scanned dimension); cumlogsumexp has no carry combiner yet.
      .Case<CumsumOp, CumprodOp, CummaxOp, CumminOp>(
          [&](auto o) { return sameShapeAll(o, -1); })
      .Case<CumlogsumexpOp>(
          [&](auto o) { return sameShapeAll(o, o.getAxis()); })
      .Case<TopKOp>([&](TopKOp o) { return topK(o); })
      .Case<HostCallbackOp>([&](HostCallbackOp o) { return hostCallback(o); })
      .Case<GatherOp>([&](GatherOp o) { return gather(o); })
      .Case<ScatterOp>([&](ScatterOp o) { return scatter(o); })
      .Default([&](Operation *) -> std::optional<ShardingRule> {
        return std::nullopt;
      });
}
