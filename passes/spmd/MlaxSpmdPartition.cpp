//===- MlaxSpmdPartition.cpp - mlax-spmd-partition ------------------------===//
//
// Rewrites a global SPMD function (mlax.mesh_axes / mlax.mesh_shape, and
// shardings from mlax-sharding-propagation) into the program every device
// runs on its blocks, as GSPMD and Shardy's partitioner do.
//
// Algorithm, per SPMD function:
//   1. A new entry block takes each argument's block (its `mlax.sharding`;
//      replicated if it has none).
//   2. Walk the ops in order, tracking each value's block and sharding:
//      a. shard_map: reshard each operand to its in_spec and call the
//         callee (already per-device code); results are sharded by the
//         out_specs;
//      b. sharding_constraint: reshard to its sharding;
//      c. an op with a rule (ShardingRules.cpp): resolve its factors (its
//         recorded `mlax.sharding` first, then its operands'), reshard
//         each operand to the projection, clone the op on blocks (block
//         result types; a splat constant, slice limits and dynamic_slice
//         sizes shrink with them; a gather or scatter whose indexed
//         dims are split gets indices shifted by its block start, clamped
//         globally first where the op clamps, and drops or zero-fills
//         what falls outside its block), then combine partial results
//         over sharded reduction factors with one psum (or pmax, ...);
//         A cumsum/cumprod/cummax/cummin along a split dimension scans
//         each block, all_gathers the blocks' totals, scans them, and
//         combines each block with its predecessor's entry;
//      d. cond / while / scan: each callee is cloned, given the shardings
//         of its arguments (the operands' own; a scan's xs unsplit along
//         the scanned dimension) and, for loop carries, results sharded as
//         the carries (so a carry keeps one sharding across iterations),
//         then propagated and partitioned like this function, collectives
//         included; the op calls the per-device clones on blocks. A cond's
//         branches return what its first branch's propagation chose;
//      e. any other op: operands gathered whole (replicated), op cloned.
//   3. Reshard each returned value to its result's `mlax.sharding`.
//   4. The function takes and returns blocks; the module records the mesh
//      (mlax.mesh_axes / mlax.mesh_shape) for mlax-lower-collectives.
// Resharding a value from S to T: a splat constant or a broadcast scalar is
// built again at T's block shape (no collective); an axis list that moves
// whole from one dimension to another is one all_to_all; otherwise every
// dimension whose axes change (and do not just gain minor axes) is
// all_gathered, then each dimension is cut to its block with a
// dynamic_slice at axis_index.
// Stated shardings that leave a dimension indivisible are rejected with a
// diagnostic (mlax does not pad yet); a rule never splits a factor its
// axes do not divide (ShardingRule::resolve), so nothing else can.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/Passes.h"
#include "passes/spmd/ShardingRules.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXSPMDPARTITION
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

namespace {

struct Local {
  Value value;
  Sharding sharding;
};

bool isPrefix(ArrayRef<StringRef> prefix, ArrayRef<StringRef> of) {
  return prefix.size() <= of.size() && of.take_front(prefix.size()) == prefix;
}

class Partitioner {
public:
  Partitioner(const Mesh &mesh, OpBuilder &b) : mesh(mesh), b(b) {}

  Value reshard(Value v, RankedTensorType global, const Sharding &from,
                const Sharding &to, Location loc) {
    if (from == to)
      return v;
    if (Value moved = allToAll(v, global, from, to, loc))
      return moved;
    Sharding cur = from;
    // Gather every dimension whose axes change other than by gaining minor
    // axes.
    for (size_t d = 0; d < cur.size(); ++d) {
      if (cur[d].empty() || isPrefix(cur[d], to[d]))
        continue;
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[d] *= mesh.size(cur[d]);
      v = AllGatherOp::create(b, loc, type.clone(shape), v,
                              b.getStrArrayAttr(cur[d]), sizesOf(cur[d]), d,
                              /*tiled=*/true);
      cur[d].clear();
    }
    // Cut each dimension to its block along the axes it gains.
    for (size_t d = 0; d < cur.size(); ++d) {
      if (cur[d] == to[d])
        continue;
      ArrayRef<StringRef> extra =
          ArrayRef<StringRef>(to[d]).drop_front(cur[d].size());
      v = sliceBlock(v, d, extra, loc);
      cur[d] = to[d];
    }
    return v;
  }

  /// This device's block of `v` along dimension `d`, split over `axes`.
  Value sliceBlock(Value v, int64_t d, ArrayRef<StringRef> axes, Location loc) {
    Emit e{b, loc};
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> sizes(type.getShape());
    sizes[d] /= mesh.size(axes);
    auto i32 = RankedTensorType::get({}, b.getI32Type());
    Value index = AxisIndexOp::create(b, loc, i32, b.getStrArrayAttr(axes),
                                      sizesOf(axes));
    auto constant = [&](int64_t c) -> Value {
      return ConstantOp::create(
          b, loc, i32, DenseElementsAttr::get(i32, b.getI32IntegerAttr(c)));
    };
    SmallVector<Value> starts;
    for (int64_t k = 0; k < type.getRank(); ++k)
      starts.push_back(k == d ? e.mul(index, constant(sizes[d])) : constant(0));
    return DynamicSliceOp::create(b, loc, type.clone(sizes), v, starts, sizes);
  }

  /// One all_to_all when `to` moves one dimension's axes whole to another
  /// (unsplit) dimension and keeps the rest.
  Value allToAll(Value v, RankedTensorType global, const Sharding &from,
                 const Sharding &to, Location loc) {
    int64_t src = -1, dst = -1;
    for (size_t d = 0; d < from.size(); ++d) {
      if (from[d] == to[d])
        continue;
      if (!from[d].empty() && to[d].empty() && src < 0)
        src = d;
      else if (from[d].empty() && !to[d].empty() && dst < 0)
        dst = d;
      else
        return {};
    }
    if (src < 0 || dst < 0 || from[src] != to[dst])
      return {};
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(type.getShape());
    int64_t n = mesh.size(from[src]);
    shape[dst] /= n;
    shape[src] *= n;
    return AllToAllOp::create(b, loc, type.clone(shape), v,
                              b.getStrArrayAttr(from[src]), sizesOf(from[src]),
                              dst, src);
  }

  SmallVector<int64_t> sizesOf(ArrayRef<StringRef> axes) {
    SmallVector<int64_t> out;
    for (StringRef a : axes)
      out.push_back(mesh.size(a));
    return out;
  }

  LogicalResult partition(func::FuncOp func);

private:
  const Sharding &shardingOf(Value global) { return values[global].sharding; }
  Value localOf(Value global) { return values[global].value; }
  Value operandAs(Value global, const Sharding &to, Location loc) {
    Local &l = values[global];
    if (l.sharding != to)
      if (Value local = rematerialize(global, to, loc))
        return local;
    return reshard(l.value, cast<RankedTensorType>(global.getType()),
                   l.sharding, to, loc);
  }
  /// A splat constant, or a broadcast of a scalar, built again at the
  /// block shape of `to` instead of resharded: no collective moves a value
  /// every device can make (a shared constant feeding differently sharded
  /// ops once cost one all_to_all per use).
  Value rematerialize(Value global, const Sharding &to, Location loc) {
    auto type = cast<RankedTensorType>(global.getType());
    SmallVector<int64_t> shape(type.getShape());
    for (size_t d = 0; d < to.size(); ++d)
      shape[d] /= mesh.size(to[d]);
    auto local = type.clone(shape);
    Operation *def = global.getDefiningOp();
    if (auto cst = dyn_cast_or_null<ConstantOp>(def)) {
      auto attr = dyn_cast<DenseElementsAttr>(cst.getValue());
      if (!attr || !attr.isSplat())
        return {};
      return ConstantOp::create(b, loc, local, attr.resizeSplat(local));
    }
    if (auto bcast = dyn_cast_or_null<BroadcastInDimOp>(def)) {
      Value scalar = bcast.getOperand();
      if (cast<RankedTensorType>(scalar.getType()).getRank() != 0 ||
          !values.count(scalar))
        return {};
      return BroadcastInDimOp::create(b, loc, local, localOf(scalar),
                                      bcast.getBroadcastDimensionsAttr());
    }
    return {};
  }
  LogicalResult partitionWithRule(Operation *op, const ShardingRule &rule);
  LogicalResult partitionControlFlow(Operation *op);
  FailureOr<func::FuncOp>
  partitionCallee(Operation *op, FlatSymbolRefAttr callee,
                  ArrayRef<Sharding> args,
                  ArrayRef<std::optional<Sharding>> results);
  Value carryIntoBlock(Operation *op, Value local, ArrayRef<StringRef> axes);
  void replicateAll(Operation *op);
  void shiftIndices(Operation *clone, RankedTensorType global,
                    ArrayRef<int64_t> dims, ArrayRef<int64_t> operandFactors,
                    const ShardingRule::FactorAxes &factors, bool clamp);

  const Mesh &mesh;
  OpBuilder &b;
  DenseMap<Value, Local> values;
};

void Partitioner::replicateAll(Operation *op) {
  IRMapping mapping;
  for (Value v : op->getOperands())
    mapping.map(
        v,
        operandAs(v, replicated(cast<RankedTensorType>(v.getType()).getRank()),
                  op->getLoc()));
  Operation *clone = b.clone(*op, mapping);
  clone->removeAttr("mlax.sharding");
  for (auto [r, c] : llvm::zip(op->getResults(), clone->getResults()))
    values[r] = {c, replicated(cast<RankedTensorType>(r.getType()).getRank())};
}

/// Indices of a point gather/scatter `clone` (operand 1) made local to the
/// blocks of the operand's split indexed dims: clamped into the global
/// range (when the op clamps), then shifted by this device's block start.
void Partitioner::shiftIndices(Operation *clone, RankedTensorType global,
                               ArrayRef<int64_t> dims,
                               ArrayRef<int64_t> operandFactors,
                               const ShardingRule::FactorAxes &factors,
                               bool clamp) {
  Location loc = clone->getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(clone);
  Emit e{b, loc};
  auto scalar = RankedTensorType::get({}, b.getI64Type());
  auto i64 = [&](int64_t v) -> Value {
    return ConstantOp::create(
        b, loc, scalar, DenseElementsAttr::get(scalar, b.getI64IntegerAttr(v)));
  };
  SmallVector<Value> starts, lasts;
  bool split = false;
  for (int64_t d : dims) {
    int64_t f = operandFactors[d];
    ArrayRef<StringRef> axes =
        f >= 0 ? ArrayRef<StringRef>(factors[f]) : ArrayRef<StringRef>();
    lasts.push_back(e.reshape(i64(global.getDimSize(d) - 1), {1}));
    if (axes.empty()) {
      starts.push_back(e.reshape(i64(0), {1}));
      continue;
    }
    split = true;
    auto i32 = RankedTensorType::get({}, b.getI32Type());
    Value index = AxisIndexOp::create(b, loc, i32, b.getStrArrayAttr(axes),
                                      sizesOf(axes));
    int64_t block = global.getDimSize(d) / mesh.size(axes);
    starts.push_back(
        e.reshape(e.mul(e.convert(index, b.getI64Type()), i64(block)), {1}));
  }
  if (!split)
    return;
  auto vectorType =
      RankedTensorType::get({(int64_t)dims.size()}, b.getI64Type());
  auto join = [&](ArrayRef<Value> parts) -> Value {
    return parts.size() == 1
               ? parts[0]
               : (Value)ConcatenateOp::create(b, loc, vectorType, parts, 0);
  };
  Value indices = clone->getOperand(1);
  auto indicesType = e.type(indices).clone(b.getI64Type());
  int64_t last = indicesType.getRank() - 1;
  Value wide = e.convert(indices, b.getI64Type());
  if (clamp) {
    Value zero = e.zeros(indicesType);
    Value hi = e.broadcast(join(lasts), indicesType, {last});
    wide = MinOp::create(b, loc, indicesType,
                         MaxOp::create(b, loc, indicesType, wide, zero), hi);
  }
  clone->setOperand(
      1, e.sub(wide, e.broadcast(join(starts), indicesType, {last})));
}

/// `local`, the block's own scan of a cumulative op split along `axes`,
/// combined with the carry from the other blocks: every block's total (its
/// last element, the first when reversed) is all_gathered, the op scans
/// the totals, and each block takes the entry of its predecessor (none for
/// the first block).
Value Partitioner::carryIntoBlock(Operation *op, Value local,
                                  ArrayRef<StringRef> axes) {
  Location loc = op->getLoc();
  Emit e{b, loc};
  int64_t axis = cast<IntegerAttr>(op->getAttr("axis")).getInt();
  bool reverse = cast<BoolAttr>(op->getAttr("reverse")).getValue();
  auto type = cast<RankedTensorType>(local.getType());
  int64_t n = mesh.size(axes), size = type.getDimSize(axis);
  auto i32 = RankedTensorType::get({}, b.getI32Type());
  auto constant = [&](int64_t c) -> Value {
    return ConstantOp::create(
        b, loc, i32, DenseElementsAttr::get(i32, b.getI32IntegerAttr(c)));
  };
  // This block's total: a slice of one element along the axis.
  SmallVector<int64_t> start(type.getRank(), 0), limit(type.getShape()),
      strides(type.getRank(), 1);
  start[axis] = reverse ? 0 : size - 1;
  limit[axis] = start[axis] + 1;
  SmallVector<int64_t> one(type.getShape());
  one[axis] = 1;
  Value total =
      SliceOp::create(b, loc, type.clone(one), local, start, limit, strides);
  SmallVector<int64_t> all(one);
  all[axis] = n;
  Value totals =
      AllGatherOp::create(b, loc, type.clone(all), total,
                          b.getStrArrayAttr(axes), sizesOf(axes), axis,
                          /*tiled=*/true);
  // The totals scanned in the op's direction; the carry is the entry just
  // before this block's.
  OperationState state(loc, op->getName());
  state.addOperands(totals);
  state.addAttributes(op->getAttrs());
  state.addTypes(totals.getType());
  Value scanned = b.create(state)->getResult(0);
  scanned.getDefiningOp()->removeAttr("mlax.sharding");
  Value index =
      AxisIndexOp::create(b, loc, i32, b.getStrArrayAttr(axes), sizesOf(axes));
  Value from =
      reverse ? (Value)MinOp::create(b, loc, i32, e.add(index, constant(1)),
                                     constant(n - 1))
              : (Value)MaxOp::create(b, loc, i32, e.sub(index, constant(1)),
                                     constant(0));
  SmallVector<Value> starts;
  for (int64_t d = 0; d < type.getRank(); ++d)
    starts.push_back(d == axis ? from : constant(0));
  Value carry =
      DynamicSliceOp::create(b, loc, type.clone(one), scanned, starts, one);
  SmallVector<int64_t> keep;
  SmallVector<int64_t> squeezed;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d != axis) {
      keep.push_back(d);
      squeezed.push_back(type.getDimSize(d));
    }
  carry = e.broadcast(e.reshape(carry, squeezed), type, keep);
  Value combined =
      TypeSwitch<Operation *, Value>(op)
          .Case<CumsumOp>([&](auto) { return e.add(local, carry); })
          .Case<CumprodOp>([&](auto) { return e.mul(local, carry); })
          .Case<CummaxOp>([&](auto) -> Value {
            return MaxOp::create(b, loc, type, local, carry);
          })
          .Case<CumminOp>([&](auto) -> Value {
            return MinOp::create(b, loc, type, local, carry);
          });
  // The first block in the scan's direction has no carry.
  Value first =
      e.compare(ComparisonDirection::EQ, index, constant(reverse ? n - 1 : 0));
  return e.select(e.broadcast(first, type.clone(b.getI1Type()), {}), local,
                  combined);
}

LogicalResult Partitioner::partitionWithRule(Operation *op,
                                             const ShardingRule &rule) {
  Location loc = op->getLoc();
  SmallVector<const Sharding *> ins, outs;
  for (Value v : op->getOperands())
    ins.push_back(&shardingOf(v));
  Sharding recordedStorage;
  SmallVector<Sharding> recorded;
  if (auto specs = op->getAttrOfType<ArrayAttr>("mlax.sharding"))
    for (Attribute spec : specs)
      recorded.push_back(parseSpec(spec));
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    outs.push_back(i < recorded.size() ? &recorded[i] : nullptr);
  auto factors = rule.resolve(ins, outs, mesh);

  IRMapping mapping;
  for (auto [v, dims] : llvm::zip(op->getOperands(), rule.operands))
    mapping.map(v, operandAs(v, rule.project(dims, factors), loc));
  Operation *clone = b.clone(*op, mapping);
  clone->removeAttr("mlax.sharding");
  SmallVector<Sharding> resultShardings;
  for (auto [r, c, dims] :
       llvm::zip(op->getResults(), clone->getResults(), rule.results)) {
    resultShardings.push_back(rule.project(dims, factors));
    c.setType(localType(cast<RankedTensorType>(r.getType()),
                        resultShardings.back(), mesh));
  }
  // Attributes that spell out block sizes.
  if (auto c = dyn_cast<ConstantOp>(clone)) {
    auto type = cast<RankedTensorType>(c.getType());
    if (type != c.getValue().getType())
      c.setValueAttr(DenseElementsAttr::get(
          cast<ShapedType>(type),
          cast<DenseElementsAttr>(c.getValue()).getSplatValue<Attribute>()));
  } else if (auto s = dyn_cast<SliceOp>(clone)) {
    SmallVector<int64_t> limits(s.getLimitIndices());
    auto localIn = cast<RankedTensorType>(s.getOperand().getType());
    for (auto [d, l] : llvm::enumerate(limits))
      if (s.getStartIndices()[d] == 0 && s.getStrides()[d] == 1 &&
          l > localIn.getDimSize(d))
        l = localIn.getDimSize(d);
    s.setLimitIndices(limits);
  } else if (auto ds = dyn_cast<DynamicSliceOp>(clone)) {
    ds.setSliceSizes(cast<RankedTensorType>(ds.getType()).getShape());
  } else if (auto g = dyn_cast<GatherOp>(clone)) {
    // Rows outside this block read 0; the psum below adds the blocks.
    auto global = cast<GatherOp>(op).getOperand().getType();
    Value before = g.getIndices();
    shiftIndices(g, global, g.getDims(), rule.operands[0], factors,
                 /*clamp=*/true);
    if (g.getIndices() != before) {
      g.setMode(IndexMode::fill);
      g.setFillValueAttr(cast<TypedAttr>(
          b.getZeroAttr(cast<RankedTensorType>(g.getType()).getElementType())));
    }
  } else if (auto sc = dyn_cast<ScatterOp>(clone)) {
    // Updates for rows outside this block are dropped.
    auto global = cast<ScatterOp>(op).getOperand().getType();
    Value before = sc.getIndices();
    shiftIndices(sc, global, sc.getDims(), rule.operands[0], factors,
                 /*clamp=*/sc.getMode() == IndexMode::clip);
    if (sc.getIndices() != before)
      sc.setMode(IndexMode::fill);
  }
  // Partial results over sharded reduction factors.
  SmallVector<StringRef> partial;
  for (auto [f, axes] : llvm::enumerate(factors))
    if (!axes.empty() && rule.isReductionFactor(f))
      llvm::append_range(partial, axes);
  // A scan along a split dimension: each block scanned alone, then
  // combined with what the blocks before it (after it, reversed) add up to.
  SmallVector<StringRef> scanAxes;
  if (isa<CumsumOp, CumprodOp, CummaxOp, CumminOp>(op)) {
    int64_t axis = cast<IntegerAttr>(op->getAttr("axis")).getInt();
    int64_t f = rule.operands[0][axis];
    if (f >= 0)
      llvm::append_range(scanAxes, factors[f]);
  }
  for (auto [r, c, s] :
       llvm::zip(op->getResults(), clone->getResults(), resultShardings)) {
    Value local = c;
    if (!scanAxes.empty())
      local = carryIntoBlock(op, c, scanAxes);
    if (!partial.empty()) {
      local = PsumOp::create(b, loc, c.getType(), c, *rule.reduction,
                             b.getStrArrayAttr(partial), sizesOf(partial));
    }
    values[r] = {local, s};
  }
  return success();
}

/// A per-device clone of `callee` taking blocks sharded as `args` and
/// returning blocks sharded as `results` (where given; the clone's own
/// propagation decides the others, read back from its result attributes).
FailureOr<func::FuncOp>
Partitioner::partitionCallee(Operation *op, FlatSymbolRefAttr callee,
                             ArrayRef<Sharding> args,
                             ArrayRef<std::optional<Sharding>> results) {
  auto module = op->getParentOfType<ModuleOp>();
  auto outer = op->getParentOfType<func::FuncOp>();
  auto source = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, callee);
  if (!source)
    return op->emitOpError("mlax-spmd-partition: no function ") << callee,
           failure();
  func::FuncOp clone = source.clone();
  clone.setName((source.getName() + "_spmd").str());
  clone.setPrivate();
  SymbolTable(module).insert(clone, Block::iterator(outer));
  MLIRContext *ctx = op->getContext();
  for (auto name : {"mlax.mesh_axes", "mlax.mesh_shape"})
    clone->setAttr(name, outer->getAttr(name));
  for (auto [i, s] : llvm::enumerate(args))
    clone.setArgAttr(i, "mlax.sharding", specAttr(ctx, s));
  for (auto [i, s] : llvm::enumerate(results))
    if (s)
      clone.setResultAttr(i, "mlax.sharding", specAttr(ctx, *s));
  if (failed(propagateShardings(clone, mesh)))
    return failure();
  OpBuilder inner(ctx);
  Partitioner partitioner(mesh, inner);
  if (failed(partitioner.partition(clone)))
    return failure();
  return clone;
}

LogicalResult Partitioner::partitionControlFlow(Operation *op) {
  Location loc = op->getLoc();
  MLIRContext *ctx = op->getContext();
  auto resultSharding = [](func::FuncOp f, unsigned i) {
    return parseSpec(f.getResultAttr(i, "mlax.sharding"));
  };
  SmallVector<Value> operands;
  SmallVector<Sharding> argShardings;
  auto takeAsIs = [&](Value v) {
    operands.push_back(localOf(v));
    argShardings.push_back(shardingOf(v));
  };
  // A carry takes the sharding propagation recorded on its result (what
  // its users asked for), else its operand's.
  SmallVector<Sharding> recorded;
  if (auto specs = op->getAttrOfType<ArrayAttr>("mlax.sharding"))
    for (Attribute spec : specs)
      recorded.push_back(parseSpec(spec));
  auto takeCarry = [&](Value v, unsigned i) {
    Sharding target = i < recorded.size() ? recorded[i] : shardingOf(v);
    operands.push_back(operandAs(v, target, loc));
    argShardings.push_back(target);
  };
  SmallVector<Sharding> outShardings;
  // The partitioned callees, by the op's attribute that names them.
  SmallVector<NamedAttribute> callees;
  if (auto w = dyn_cast<WhileOp>(op)) {
    int64_t numCarry = w.getInputs().size() - w.getNumConsts();
    for (auto [i, v] : llvm::enumerate(w.getInputs())) {
      if ((int64_t)i < numCarry)
        takeCarry(v, i);
      else
        takeAsIs(v);
    }
    SmallVector<std::optional<Sharding>> carried(
        argShardings.begin(), argShardings.begin() + numCarry);
    auto cond =
        partitionCallee(op, w.getCondAttr(), argShardings, {replicated(0)});
    auto body = partitionCallee(op, w.getBodyAttr(), argShardings, carried);
    if (failed(cond) || failed(body))
      return failure();
    outShardings.assign(argShardings.begin(), argShardings.begin() + numCarry);
    callees.emplace_back(w.getCondAttrName(), FlatSymbolRefAttr::get(*cond));
    callees.emplace_back(w.getBodyAttrName(), FlatSymbolRefAttr::get(*body));
  } else if (auto s = dyn_cast<ScanOp>(op)) {
    int64_t numCarry = s.getNumCarry(), numXs = s.numXs();
    SmallVector<Sharding> bodyArgs;
    for (auto [i, v] : llvm::enumerate(s.getInputs())) {
      bool isX = (int64_t)i >= numCarry && (int64_t)i < numCarry + numXs;
      if (!isX) {
        if ((int64_t)i < numCarry)
          takeCarry(v, i);
        else
          takeAsIs(v);
        bodyArgs.push_back(argShardings.back());
        continue;
      }
      // The scanned dimension stays whole; a row keeps the rest.
      Sharding whole = shardingOf(v);
      whole[0].clear();
      operands.push_back(operandAs(v, whole, loc));
      argShardings.push_back(whole);
      bodyArgs.push_back(Sharding(whole.begin() + 1, whole.end()));
    }
    SmallVector<std::optional<Sharding>> carried(bodyArgs.begin(),
                                                 bodyArgs.begin() + numCarry);
    auto body = partitionCallee(op, s.getBodyAttr(), bodyArgs, carried);
    if (failed(body))
      return failure();
    for (unsigned i = 0; i < op->getNumResults(); ++i) {
      Sharding r = resultSharding(*body, i);
      if ((int64_t)i >= numCarry)
        r.insert(r.begin(), DimSharding());
      outShardings.push_back(r);
    }
    callees.emplace_back(s.getBodyAttrName(), FlatSymbolRefAttr::get(*body));
  } else {
    auto c = cast<CondOp>(op);
    for (Value v : c.getInputs())
      takeAsIs(v);
    SmallVector<Attribute> branches;
    SmallVector<std::optional<Sharding>> stated(op->getNumResults());
    for (auto [k, branch] : llvm::enumerate(c.getBranches())) {
      auto part = partitionCallee(op, cast<FlatSymbolRefAttr>(branch),
                                  argShardings, stated);
      if (failed(part))
        return failure();
      if (k == 0)
        for (unsigned i = 0; i < op->getNumResults(); ++i) {
          outShardings.push_back(resultSharding(*part, i));
          stated[i] = outShardings.back();
        }
      branches.push_back(FlatSymbolRefAttr::get(*part));
    }
    callees.emplace_back(c.getBranchesAttrName(),
                         ArrayAttr::get(ctx, branches));
    // The branch index (operand 0) is a replicated scalar.
    operands.insert(operands.begin(),
                    operandAs(c.getIndex(), replicated(0), loc));
  }
  // `operands` follows the op's operand order: clone it on them.
  IRMapping mapping;
  mapping.map(op->getOperands(), operands);
  Operation *clone = b.clone(*op, mapping);
  for (NamedAttribute callee : callees)
    clone->setAttr(callee.getName(), callee.getValue());
  clone->removeAttr("mlax.sharding");
  for (auto [r, c, sh] :
       llvm::zip(op->getResults(), clone->getResults(), outShardings)) {
    c.setType(localType(cast<RankedTensorType>(r.getType()), sh, mesh));
    values[r] = {c, sh};
  }
  return success();
}

LogicalResult Partitioner::partition(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitOpError("mlax-spmd-partition: needs a single-block "
                            "function");
  Block &old = func.getBody().front();
  auto *entry = new Block();
  func.getBody().push_back(entry);
  b.setInsertionPointToEnd(entry);
  // 1. Arguments.
  SmallVector<Type> argTypes, resultTypes;
  for (BlockArgument arg : old.getArguments()) {
    auto type = cast<RankedTensorType>(arg.getType());
    Attribute spec = func.getArgAttr(arg.getArgNumber(), "mlax.sharding");
    Sharding s = spec ? parseSpec(spec) : replicated(type.getRank());
    RankedTensorType local;
    if (failed(verifySpec([&] { return func.emitOpError(); },
                          "argument " + Twine(arg.getArgNumber()) + " sharding",
                          specAttr(func.getContext(), s), type, mesh, &local)))
      return failure();
    values[arg] = {entry->addArgument(local, arg.getLoc()), s};
    argTypes.push_back(local);
  }
  // 2. Ops.
  for (Operation &op : old.without_terminator()) {
    Location loc = op.getLoc();
    if (isa<VjpOp, JvpOp, BatchOp>(op))
      return op.emitOpError("mlax-spmd-partition: expand transformation "
                            "requests first (mlax-autodiff, mlax-batch)");
    if (isa<PsumOp, AllGatherOp, PsumScatterOp, AllToAllOp, PpermuteOp,
            AxisIndexOp>(op))
      return op.emitOpError("mlax-spmd-partition: a collective outside "
                            "shard_map/pmap has no mesh axis to run over");
    if (auto map = dyn_cast<ShardMapOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          map, map.getCalleeAttr());
      SmallVector<Value> args;
      for (auto [v, spec] : llvm::zip(map.getInputs(), map.getInSpecs()))
        args.push_back(operandAs(v, parseSpec(spec), loc));
      auto call = func::CallOp::create(b, loc, callee, args);
      for (auto [r, c, spec] :
           llvm::zip(map.getResults(), call.getResults(), map.getOutSpecs()))
        values[r] = {c, parseSpec(spec)};
      continue;
    }
    if (auto c = dyn_cast<ShardingConstraintOp>(op)) {
      Sharding s = parseSpec(c.getSharding());
      values[c] = {operandAs(c.getOperand(), s, loc), s};
      continue;
    }
    if (isa<CondOp, WhileOp, ScanOp>(op)) {
      if (failed(partitionControlFlow(&op)))
        return failure();
      continue;
    }
    auto rule = shardingRule(&op);
    if (rule) {
      if (failed(partitionWithRule(&op, *rule)))
        return failure();
    } else {
      replicateAll(&op);
    }
  }
  // 3. Results.
  auto ret = cast<func::ReturnOp>(old.getTerminator());
  SmallVector<Value> results;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto type = cast<RankedTensorType>(v.getType());
    Attribute spec = func.getResultAttr(i, "mlax.sharding");
    Sharding s = spec ? parseSpec(spec) : shardingOf(v);
    RankedTensorType local;
    if (failed(verifySpec([&] { return func.emitOpError(); },
                          "result " + Twine(i) + " sharding",
                          specAttr(func.getContext(), s), type, mesh, &local)))
      return failure();
    results.push_back(operandAs(v, s, ret.getLoc()));
    resultTypes.push_back(local);
    func.setResultAttr(i, "mlax.sharding", specAttr(func.getContext(), s));
  }
  func::ReturnOp::create(b, ret.getLoc(), results);
  // 4. The new signature.
  old.dropAllDefinedValueUses();
  old.erase();
  func.setFunctionType(
      FunctionType::get(func.getContext(), argTypes, resultTypes));
  func->setAttr("mlax.partitioned", UnitAttr::get(func.getContext()));
  return success();
}

struct MlaxSpmdPartition
    : public mlax::impl::MlaxSpmdPartitionBase<MlaxSpmdPartition> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<Mesh> moduleMesh;
    for (auto func :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || func->hasAttr("mlax.partitioned"))
        continue;
      auto mesh = Mesh::of(func, "mlax.");
      if (!mesh)
        continue;
      if (moduleMesh && !(*moduleMesh == *mesh)) {
        func.emitOpError("mlax-spmd-partition: every SPMD function of a "
                         "module needs the same mesh");
        return signalPassFailure();
      }
      moduleMesh = mesh;
      OpBuilder b(func.getContext());
      Partitioner partitioner(*mesh, b);
      if (failed(partitioner.partition(func)))
        return signalPassFailure();
    }
    if (moduleMesh)
      moduleMesh->setOn(module, "mlax.");
  }
};

} // namespace
