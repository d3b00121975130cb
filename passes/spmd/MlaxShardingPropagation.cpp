//===- MlaxShardingPropagation.cpp - mlax-sharding-propagation ------------===//
//
// Gives every value of a global SPMD function (one with mlax.mesh_axes /
// mlax.mesh_shape) a sharding, from the few the program states, through
// each op's rule (ShardingRules.cpp).
//
// Algorithm, per SPMD function:
//   1. Seed (priority 1, never overridden): argument and result
//      `mlax.sharding` attributes, sharding_constraint results, shard_map
//      results (their out_specs).
//   2. Forward (priority 2): in program order, an op with a rule and a
//      known operand sharding gives its unknown results the projection of
//      its factor shardings (results' known shardings first, then
//      operands' in order; an axis goes to the first factor asking).
//      Repeat until nothing changes. A projection that splits nothing is
//      not recorded, so users may still shard the value (step 3).
//   3. Backward (priority 3): in reverse order, values still unknown take
//      what their users ask: a shard_map operand its in_spec, a returned
//      value the result's sharding, a rule op's operand the projection of
//      the op's factors. Constants and iotas get shardings this way.
//   4. Repeat 2-3 until nothing changes; what is left is replicated.
//      A while or scan passes each carry's sharding between its operand
//      and its result, both ways (the partitioner keeps carries so).
//   5. Record: every argument and result gets `mlax.sharding`; every op
//      with a split result gets `mlax.sharding` = one spec per result.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/spmd/ShardingRules.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXSHARDINGPROPAGATION
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

namespace {

struct Propagator {
  const Mesh &mesh;
  DenseMap<Value, Sharding> known;

  const Sharding *lookup(Value v) {
    auto it = known.find(v);
    return it == known.end() ? nullptr : &it->second;
  }
  bool set(Value v, Sharding s) { return known.try_emplace(v, s).second; }
  /// Propagated shardings that split nothing are not recorded: the value
  /// stays open for its users to shard (a replicated default is no
  /// decision).
  bool propagate(Value v, Sharding s) {
    return !isReplicated(s) && set(v, std::move(s));
  }

  /// Resolves `op`'s factors from what is known; assigns the projection
  /// to the unknown values among `targets` (operands or results).
  bool apply(Operation *op, const ShardingRule &rule, bool toResults) {
    SmallVector<const Sharding *> ins, outs;
    for (Value v : op->getOperands())
      ins.push_back(lookup(v));
    for (Value v : op->getResults())
      outs.push_back(lookup(v));
    bool anyKnown = llvm::any_of(toResults ? ins : outs,
                                 [](const Sharding *s) { return s; });
    if (!anyKnown)
      return false;
    auto factors = rule.resolve(ins, outs, mesh);
    bool changed = false;
    if (toResults) {
      for (auto [v, dims] : llvm::zip(op->getResults(), rule.results))
        if (!lookup(v))
          changed |= propagate(v, rule.project(dims, factors));
    } else {
      for (auto [v, dims] : llvm::zip(op->getOperands(), rule.operands))
        if (!lookup(v) && isa<RankedTensorType>(v.getType()))
          changed |= propagate(v, rule.project(dims, factors));
    }
    return changed;
  }

  /// A loop's carries keep one sharding: operand i and result i of a
  /// while (or the carries of a scan) share what either knows.
  bool carries(Operation &op, bool toResults) {
    int64_t n = 0;
    if (auto w = dyn_cast<WhileOp>(op))
      n = w.getInputs().size() - w.getNumConsts();
    else if (auto s = dyn_cast<ScanOp>(op))
      n = s.getNumCarry();
    bool changed = false;
    for (int64_t i = 0; i < n; ++i) {
      Value in = op.getOperand(i), out = op.getResult(i);
      Value from = toResults ? in : out, to = toResults ? out : in;
      if (const Sharding *s = lookup(from))
        if (!lookup(to))
          changed |= propagate(to, *s);
    }
    return changed;
  }

  bool forward(Block &block) {
    bool changed = false;
    for (Operation &op : block) {
      changed |= carries(op, /*toResults=*/true);
      if (!isa<ShardMapOp, ShardingConstraintOp>(op))
        if (auto rule = shardingRule(&op))
          changed |= apply(&op, *rule, /*toResults=*/true);
    }
    return changed;
  }

  bool backward(Block &block, func::FuncOp func) {
    bool changed = false;
    for (Operation &op : llvm::reverse(block)) {
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        for (auto [i, v] : llvm::enumerate(ret.getOperands()))
          if (auto spec = func.getResultAttr(i, "mlax.sharding"))
            if (!lookup(v))
              changed |= set(v, parseSpec(spec));
      } else if (auto map = dyn_cast<ShardMapOp>(op)) {
        for (auto [v, spec] : llvm::zip(map.getInputs(), map.getInSpecs()))
          if (!lookup(v))
            changed |= set(v, parseSpec(spec));
      } else if (auto c = dyn_cast<ShardingConstraintOp>(op)) {
        if (!lookup(c.getOperand()))
          changed |= set(c.getOperand(), parseSpec(c.getSharding()));
      } else if (auto rule = shardingRule(&op)) {
        changed |= apply(&op, *rule, /*toResults=*/false);
      } else {
        changed |= carries(op, /*toResults=*/false);
      }
    }
    return changed;
  }
};

} // namespace

LogicalResult mlax::propagateShardings(func::FuncOp func, const Mesh &mesh) {
  if (!func.getBody().hasOneBlock())
    return func.emitOpError("mlax-sharding-propagation: needs a single-block "
                            "function"),
           failure();
  Block &block = func.getBody().front();
  Propagator p{mesh, {}};
  // 1. Seeds.
  for (BlockArgument arg : func.getArguments()) {
    auto type = cast<RankedTensorType>(arg.getType());
    Attribute spec = func.getArgAttr(arg.getArgNumber(), "mlax.sharding");
    if (!spec)
      continue;
    if (failed(verifySpec([&] { return func.emitOpError(); },
                          "argument " + Twine(arg.getArgNumber()) + " sharding",
                          spec, type, mesh)))
      return failure();
    p.set(arg, parseSpec(spec));
  }
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (Attribute spec = func.getResultAttr(i, "mlax.sharding"))
      if (failed(verifySpec([&] { return func.emitOpError(); },
                            "result " + Twine(i) + " sharding", spec,
                            cast<RankedTensorType>(func.getResultTypes()[i]),
                            mesh)))
        return failure();
  for (Operation &op : block) {
    if (auto c = dyn_cast<ShardingConstraintOp>(op)) {
      if (*Mesh::of(c) != mesh)
        return c.emitOpError("mesh ")
               << c.getMeshAxes() << " differs from the function's mesh";
      p.set(c, parseSpec(c.getSharding()));
    } else if (auto map = dyn_cast<ShardMapOp>(op)) {
      if (*Mesh::of(map) != mesh)
        return map.emitOpError("mesh ")
               << map.getMeshAxes() << " differs from the function's mesh";
      for (auto [v, spec] : llvm::zip(map.getResults(), map.getOutSpecs()))
        p.set(v, parseSpec(spec));
    }
  }
  // 2-4.
  for (int round = 0; round < 16; ++round) {
    bool changed = false;
    while (p.forward(block))
      changed = true;
    changed |= p.backward(block, func);
    if (!changed)
      break;
  }
  // 5. Record.
  MLIRContext *ctx = func.getContext();
  auto shardingOf = [&](Value v) {
    const Sharding *s = p.lookup(v);
    return s ? *s : replicated(cast<RankedTensorType>(v.getType()).getRank());
  };
  for (BlockArgument arg : func.getArguments())
    func.setArgAttr(arg.getArgNumber(), "mlax.sharding",
                    specAttr(ctx, shardingOf(arg)));
  auto ret = cast<func::ReturnOp>(block.getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    if (!func.getResultAttr(i, "mlax.sharding"))
      func.setResultAttr(i, "mlax.sharding", specAttr(ctx, shardingOf(v)));
  for (Operation &op : block) {
    if (isa<ShardMapOp, ShardingConstraintOp, func::ReturnOp>(op) ||
        op.getNumResults() == 0)
      continue;
    SmallVector<Attribute> specs;
    bool split = false;
    for (Value r : op.getResults()) {
      if (!isa<RankedTensorType>(r.getType()))
        break;
      Sharding s = shardingOf(r);
      split |= !isReplicated(s);
      specs.push_back(specAttr(ctx, s));
    }
    if (split && specs.size() == op.getNumResults())
      op.setAttr("mlax.sharding", ArrayAttr::get(ctx, specs));
  }
  return success();
}

namespace {

struct MlaxShardingPropagation
    : public mlax::impl::MlaxShardingPropagationBase<MlaxShardingPropagation> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (!func->hasAttr("mlax.mesh_axes") && !func->hasAttr("mlax.mesh_shape"))
        continue;
      auto err = [&] { return func.emitOpError(); };
      auto axes = func->getAttrOfType<ArrayAttr>("mlax.mesh_axes");
      auto shape = func->getAttrOfType<DenseI64ArrayAttr>("mlax.mesh_shape");
      if (!axes || !shape) {
        func.emitOpError("needs both mlax.mesh_axes (a list of names) and "
                         "mlax.mesh_shape (an i64 array)");
        return signalPassFailure();
      }
      if (failed(verifyMesh(err, axes, shape.asArrayRef())) ||
          failed(propagateShardings(func, *Mesh::of(func, "mlax."))))
        return signalPassFailure();
    }
  }
};

} // namespace
