//===- VjpRules.cpp - reverse-mode derivative rules, one per op -----------===//
//
// The rule for op `mlax.X` is the `case` for XOp in buildVjp below: given the
// cotangent `ct` of the result, it returns each operand's cotangent as
// ordinary mlax ops (so the result is differentiable again). Elementwise
// rules read the primal operands/result, which the forward sweep keeps.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/VjpRules.h"
#include "dialects/mlax/MlaxDialect.h"
#include "passes/autodiff/ControlFlowDerivatives.h"
#include "passes/autodiff/DerivativeUtils.h"
#include "passes/autodiff/SpmdDerivatives.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlax;

namespace {

/// Cotangent of broadcast_in_dim's operand: sum over the added and
/// stretched dimensions, then reshape to the operand's shape.
Value unbroadcast(Emit &e, Value ct, RankedTensorType operandType,
                  ArrayRef<int64_t> dims) {
  SmallVector<int64_t> axes;
  for (int64_t d = 0; d < e.type(ct).getRank(); ++d) {
    auto *it = llvm::find(dims, d);
    if (it == dims.end() ||
        operandType.getDimSize(it - dims.begin()) != e.type(ct).getDimSize(d))
      axes.push_back(d);
  }
  return e.reshape(e.reduceSum(ct, axes), operandType.getShape());
}

/// dot_general's operand cotangent: contract `ct` with the other operand
/// over the other's free dims, then transpose into this operand's layout.
/// `self*` describe the operand whose cotangent is built.
Value dotGeneralOperandCt(Emit &e, Value ct, Value other, bool selfIsLhs,
                          RankedTensorType selfType,
                          ArrayRef<int64_t> selfBatch,
                          ArrayRef<int64_t> selfContract,
                          ArrayRef<int64_t> otherBatch,
                          ArrayRef<int64_t> otherContract) {
  auto otherType = e.type(other);
  int64_t nb = selfBatch.size();
  auto freeDims = [](RankedTensorType t, ArrayRef<int64_t> batch,
                     ArrayRef<int64_t> contract) {
    SmallVector<int64_t> out;
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (!llvm::is_contained(batch, d) && !llvm::is_contained(contract, d))
        out.push_back(d);
    return out;
  };
  SmallVector<int64_t> selfFree = freeDims(selfType, selfBatch, selfContract);
  SmallVector<int64_t> otherFree =
      freeDims(otherType, otherBatch, otherContract);
  // ct layout: [batch, lhs free, rhs free].
  int64_t lhsFree = selfIsLhs ? selfFree.size() : otherFree.size();
  SmallVector<int64_t> ctBatch, ctOtherFree;
  for (int64_t i = 0; i < nb; ++i)
    ctBatch.push_back(i);
  int64_t otherFreeStart = selfIsLhs ? nb + lhsFree : nb;
  for (int64_t i = 0; i < (int64_t)otherFree.size(); ++i)
    ctOtherFree.push_back(otherFreeStart + i);
  SmallVector<int64_t> sortedOtherContract(otherContract);
  llvm::sort(sortedOtherContract);
  // R = dot_general(ct, other) for lhs: [batch, self free, other's
  // contracting dims in increasing order]; dot_general(other, ct) for rhs:
  // [batch, other's contracting dims, self free]. Each matches its
  // operand's usual layout ([M, K] and [K, N]), so the final transpose is
  // the identity and folds away.
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < nb; ++i)
    shape.push_back(selfType.getDimSize(selfBatch[i]));
  auto appendFree = [&] {
    for (int64_t d : selfFree)
      shape.push_back(selfType.getDimSize(d));
  };
  auto appendContract = [&] {
    for (int64_t d : sortedOtherContract)
      shape.push_back(otherType.getDimSize(d));
  };
  if (selfIsLhs) {
    appendFree();
    appendContract();
  } else {
    appendContract();
    appendFree();
  }
  auto rType = selfType.clone(shape);
  Value r = selfIsLhs
                ? DotGeneralOp::create(e.b, e.loc, rType, ct, other, ctBatch,
                                       otherBatch, ctOtherFree, otherFree)
                : DotGeneralOp::create(e.b, e.loc, rType, other, ct, otherBatch,
                                       ctBatch, otherFree, ctOtherFree);
  // Position in R of each of self's dims.
  int64_t freeStart = selfIsLhs ? nb : nb + selfContract.size();
  int64_t contractStart = selfIsLhs ? nb + selfFree.size() : nb;
  SmallVector<int64_t> perm(selfType.getRank());
  for (int64_t i = 0; i < nb; ++i)
    perm[selfBatch[i]] = i;
  for (auto [k, d] : llvm::enumerate(selfFree))
    perm[d] = freeStart + k;
  for (auto [j, d] : llvm::enumerate(selfContract)) {
    int64_t pos = llvm::find(sortedOtherContract, otherContract[j]) -
                  sortedOtherContract.begin();
    perm[d] = contractStart + pos;
  }
  return e.transpose(r, perm);
}

} // namespace

LogicalResult mlax::buildVjp(Operation *op, ArrayRef<Value> resultCts,
                             SmallVectorImpl<Value> &operandCts, OpBuilder &b,
                             function_ref<bool(Value)> isVaried) {
  operandCts.assign(op->getNumOperands(), Value());
  // An optimization barrier is the identity on each value.
  if (isa<OptimizationBarrierOp>(op)) {
    for (auto [i, ct] : llvm::enumerate(resultCts))
      if (isDifferentiableType(op->getOperand(i).getType()))
        operandCts[i] = ct;
    return success();
  }
  if (op->hasTrait<trait::ZeroDerivative>())
    return success();
  // A callback on values that do not depend on the differentiated
  // arguments is a constant; on ones that do, it has no derivative.
  if (auto callback = dyn_cast<HostCallbackOp>(op))
    return llvm::any_of(op->getOperands(), isVaried)
               ? hostCallbackDerivative(callback)
               : success();
  if (auto shardMap = dyn_cast<ShardMapOp>(op))
    return shardMapVjp(shardMap, resultCts, operandCts, b, isVaried);
  if (auto cond = dyn_cast<CondOp>(op))
    return condVjp(cond, resultCts, operandCts, b, isVaried);
  if (auto loop = dyn_cast<WhileOp>(op))
    return whileVjp(loop);
  if (auto scan = dyn_cast<ScanOp>(op))
    return scanVjp(scan, resultCts, operandCts, b, isVaried);
  // sort: the cotangents put back in the original order, by sorting them
  // on the forward permutation.
  if (auto sort = dyn_cast<SortOp>(op)) {
    SmallVector<unsigned> which;
    SmallVector<Value> cts;
    for (auto [i, ct] : llvm::enumerate(resultCts))
      if (ct && isDifferentiableType(op->getOperand(i).getType())) {
        which.push_back(i);
        cts.push_back(ct);
      }
    if (which.empty())
      return success();
    Emit e{b, op->getLoc()};
    SmallVector<Value> inputs = {sortPermutation(e, sort)};
    llvm::append_range(inputs, cts);
    SmallVector<Type> types;
    for (Value v : inputs)
      types.push_back(v.getType());
    auto back = SortOp::create(b, e.loc, types, inputs, sort.getDimension(), 1);
    for (auto [j, i] : llvm::enumerate(which))
      operandCts[i] = back.getResult(1 + j);
    return success();
  }
  // top_k: the cotangent scatter-added back to the positions picked.
  if (auto topK = dyn_cast<TopKOp>(op)) {
    auto operandType = topK.getOperand().getType();
    if (resultCts.empty() || !resultCts[0] ||
        !isDifferentiableType(operandType))
      return success();
    Emit e{b, op->getLoc()};
    operandCts[0] = ScatterOp::create(
        b, e.loc, operandType, ScatterKind::add, e.splat(operandType, 0),
        topKPoints(e, topK.getIndices()), resultCts[0],
        llvm::to_vector(llvm::seq<int64_t>(0, operandType.getRank())),
        IndexMode::clip);
    return success();
  }
  if (auto c = dyn_cast<ShardingConstraintOp>(op)) {
    // Its own transpose: the cotangent laid out as the value was.
    if (!resultCts.empty() && resultCts[0])
      operandCts[0] = ShardingConstraintOp::create(
          b, c.getLoc(), resultCts[0].getType(), resultCts[0], c.getMeshAxes(),
          c.getMeshShape(), c.getSharding());
    return success();
  }
  if (isLinearCollective(op)) {
    if (!resultCts.empty() && resultCts[0] &&
        isDifferentiableType(op->getOperand(0).getType()))
      operandCts[0] = transposeCollective(op, resultCts[0], b);
    return success();
  }
  Emit e{b, op->getLoc()};
  Value ct = resultCts.empty() ? Value() : resultCts[0];
  auto x = [&](unsigned i) { return op->getOperand(i); };
  Value y = op->getNumResults() ? op->getResult(0) : Value();
  auto set = [&](unsigned i, Value v) {
    if (isDifferentiableType(op->getOperand(i).getType()))
      operandCts[i] = v;
  };
  bool handled =
      llvm::TypeSwitch<Operation *, bool>(op)
          // Linear ops.
          .Case<AddOp>([&](auto) {
            set(0, ct);
            set(1, ct);
            return true;
          })
          .Case<SubOp>([&](auto) {
            set(0, ct);
            set(1, e.neg(ct));
            return true;
          })
          .Case<NegOp>([&](auto) {
            set(0, e.neg(ct));
            return true;
          })
          // Complex parts: JAX's transposes (no conjugation: reverse mode
          // is the plain linear transpose, as in JAX).
          .Case<RealOp>([&](auto) {
            set(0, e.complex(ct, e.zerosLike(ct)));
            return true;
          })
          .Case<ImagOp>([&](auto) {
            set(0, e.complex(e.zerosLike(ct), e.neg(ct)));
            return true;
          })
          .Case<ConjOp>([&](auto) {
            set(0, e.conj(ct));
            return true;
          })
          .Case<ComplexOp>([&](auto) {
            set(0, e.real(ct));
            set(1, e.neg(e.imag(ct)));
            return true;
          })
          .Case<ConvertOp>([&](ConvertOp c) {
            if (isDifferentiableType(c.getOperand().getType()))
              set(0, e.convert(ct, c.getOperand().getType().getElementType()));
            return true;
          })
          .Case<ReshapeOp>([&](ReshapeOp r) {
            set(0, e.reshape(ct, r.getOperand().getType().getShape()));
            return true;
          })
          .Case<TransposeOp>([&](TransposeOp t) {
            SmallVector<int64_t> inverse(t.getPermutation().size());
            for (auto [i, p] : llvm::enumerate(t.getPermutation()))
              inverse[p] = i;
            set(0, e.transpose(ct, inverse));
            return true;
          })
          .Case<BroadcastInDimOp>([&](BroadcastInDimOp bc) {
            set(0, unbroadcast(e, ct, bc.getOperand().getType(),
                               bc.getBroadcastDimensions()));
            return true;
          })
          .Case<ReduceSumOp>([&](ReduceSumOp r) {
            auto operandType = r.getOperand().getType();
            SmallVector<int64_t> kept = keptDims(operandType, r.getAxes());
            set(0, e.broadcast(ct, operandType, kept));
            return true;
          })
          .Case<SliceOp>([&](SliceOp sl) {
            // Zeros around the slice, the strided positions holding ct.
            auto operandType = sl.getOperand().getType();
            SmallVector<int64_t> low, high, interior;
            for (int64_t d = 0; d < operandType.getRank(); ++d) {
              int64_t start = sl.getStartIndices()[d],
                      stride = sl.getStrides()[d];
              int64_t n = e.type(ct).getDimSize(d);
              int64_t last = n ? start + (n - 1) * stride + 1 : start;
              low.push_back(start);
              interior.push_back(n > 1 ? stride - 1 : 0);
              high.push_back(operandType.getDimSize(d) - last);
            }
            auto scalar =
                RankedTensorType::get({}, e.type(ct).getElementType());
            set(0, PadOp::create(b, e.loc, operandType, ct, e.splat(scalar, 0),
                                 low, high, interior));
            return true;
          })
          .Case<ConcatenateOp>([&](ConcatenateOp c) {
            int64_t dim = static_cast<int64_t>(c.getDimension()), offset = 0;
            for (auto [i, input] : llvm::enumerate(c.getInputs())) {
              auto t = cast<RankedTensorType>(input.getType());
              SmallVector<int64_t> start(t.getRank(), 0),
                  limit(e.type(ct).getShape()), strides(t.getRank(), 1);
              start[dim] = offset;
              limit[dim] = offset + t.getDimSize(dim);
              offset += t.getDimSize(dim);
              set(i, SliceOp::create(b, e.loc, e.type(ct).clone(t.getShape()),
                                     ct, start, limit, strides));
            }
            return true;
          })
          .Case<PadOp>([&](PadOp pad) {
            // Unpad (negated edges, no interior), then take every
            // (interior+1)-th element; the padding value gets the rest.
            auto operandType = pad.getOperand().getType();
            SmallVector<int64_t> low, high, zeros, start, limit, strides;
            SmallVector<int64_t> unpaddedShape;
            for (int64_t d = 0; d < operandType.getRank(); ++d) {
              low.push_back(-pad.getEdgePaddingLow()[d]);
              high.push_back(-pad.getEdgePaddingHigh()[d]);
              zeros.push_back(0);
              int64_t n = operandType.getDimSize(d);
              int64_t step = pad.getInteriorPadding()[d] + 1;
              unpaddedShape.push_back(n ? n + (n - 1) * (step - 1) : 0);
              start.push_back(0);
              limit.push_back(unpaddedShape.back());
              strides.push_back(step);
            }
            auto scalar =
                RankedTensorType::get({}, e.type(ct).getElementType());
            Value unpadded =
                PadOp::create(b, e.loc, e.type(ct).clone(unpaddedShape), ct,
                              e.splat(scalar, 0), low, high, zeros);
            Value operandCt = SliceOp::create(b, e.loc, operandType, unpadded,
                                              start, limit, strides);
            set(0, operandCt);
            auto all = [&](Value v) {
              return e.reduceSum(v, llvm::to_vector(llvm::seq<int64_t>(
                                        0, e.type(v).getRank())));
            };
            set(1, e.sub(all(ct), all(operandCt)));
            return true;
          })
          // gather: the cotangent rows scatter-added back (clamped, or
          // dropped where the gather filled).
          .Case<GatherOp>([&](GatherOp g) {
            auto operandType = g.getOperand().getType();
            if (!ct || !isDifferentiableType(operandType))
              return true;
            // Clamped reads send their cotangent to the clamped row; fill
            // and promise_in_bounds reads drop out-of-range ones (as JAX).
            IndexMode mode = g.getMode() == IndexMode::clip ? IndexMode::clip
                                                            : IndexMode::fill;
            set(0, ScatterOp::create(b, e.loc, operandType, ScatterKind::add,
                                     e.splat(operandType, 0), g.getIndices(),
                                     ct, g.getDims(), mode));
            return true;
          })
          // scatter add / replace: the updates' cotangent is gathered from
          // the rows they went to (zero where dropped); replace also cuts
          // the overwritten rows out of the operand's cotangent. mul: the
          // operand's is the cotangent times the products scattered (the
          // updates' needs unique indices, as in JAX). min / max: JAX's
          // rule, the cotangent shared among every element equal to the
          // result.
          .Case<ScatterOp>([&](ScatterOp s) {
            ScatterKind kind = s.getKind();
            if (!ct || !isDifferentiableType(s.getType()))
              return true;
            if (kind == ScatterKind::mul) {
              if (isVaried(s.getUpdates()))
                return false;
              set(0, ScatterOp::create(b, e.loc, e.type(ct), ScatterKind::mul,
                                       ct, s.getIndices(), s.getUpdates(),
                                       s.getDims(), s.getMode()));
              return true;
            }
            if (kind == ScatterKind::min || kind == ScatterKind::max) {
              ScatterExtremal w = scatterExtremal(e, s);
              Value share = e.div(ct, w.count);
              set(0, e.mul(w.operandWins, share));
              set(2, e.mul(w.updateWins, gatherAtUpdates(e, s, share)));
              return true;
            }
            auto updateType = s.getUpdates().getType();
            set(2, gatherAtUpdates(e, s, ct));
            set(0, kind == ScatterKind::add
                       ? ct
                       : ScatterOp::create(
                             b, e.loc, e.type(ct), ScatterKind::replace, ct,
                             s.getIndices(), e.splat(updateType, 0),
                             s.getDims(), s.getMode())
                             .getResult());
            return true;
          })
          // cumsum: the cotangent summed from the other end.
          .Case<CumsumOp>([&](CumsumOp c) {
            set(0, CumsumOp::create(b, e.loc, e.type(ct), ct, c.getAxis(),
                                    !c.getReverse()));
            return true;
          })
          // cumprod, cummax, cummin, cumlogsumexp: the transposed
          // recurrence of the JVP (CumulativeDerivatives.cpp).
          .Case<CumprodOp, CummaxOp, CumminOp, CumlogsumexpOp>(
              [&](Operation *c) {
                if (ct && isDifferentiableType(x(0).getType()))
                  set(0, cumulativeVjp(e, c, ct));
                return true;
              })
          .Case<DynamicSliceOp>([&](DynamicSliceOp ds) {
            auto operandType = ds.getOperand().getType();
            set(0, DynamicUpdateSliceOp::create(b, e.loc, operandType,
                                                e.splat(operandType, 0), ct,
                                                ds.getStartIndices()));
            return true;
          })
          .Case<DynamicUpdateSliceOp>([&](DynamicUpdateSliceOp dus) {
            auto updateType = dus.getUpdate().getType();
            set(0, DynamicUpdateSliceOp::create(b, e.loc, e.type(ct), ct,
                                                e.splat(updateType, 0),
                                                dus.getStartIndices()));
            set(1, DynamicSliceOp::create(b, e.loc, updateType, ct,
                                          dus.getStartIndices(),
                                          updateType.getShape()));
            return true;
          })
          .Case<RemOp>([&](auto) {
            // rem = a - b * trunc(a / b)
            Value trunc = truncQuotient(e, x(0), x(1));
            set(0, ct);
            set(1, e.neg(e.mul(ct, trunc)));
            return true;
          })
          .Case<Atan2Op>([&](auto) {
            Value denom = e.add(e.mul(x(0), x(0)), e.mul(x(1), x(1)));
            set(0, e.div(e.mul(ct, x(1)), denom));
            set(1, e.neg(e.div(e.mul(ct, x(0)), denom)));
            return true;
          })
          .Case<ReduceProdOp>([&](ReduceProdOp r) {
            auto operandType = r.getOperand().getType();
            SmallVector<int64_t> kept = keptDims(operandType, r.getAxes());
            Value partials = prodPartials(e, x(0), r.getAxes());
            set(0, e.mul(e.broadcast(ct, operandType, kept), partials));
            return true;
          })
          .Case<SelectOp>([&](auto) {
            Value zero = e.zerosLike(ct);
            Value pred = x(0);
            if (e.type(pred).getRank() == 0 && e.type(ct).getRank() != 0)
              pred = e.broadcast(pred, e.type(ct).clone(b.getI1Type()), {});
            set(1, e.select(pred, ct, zero));
            set(2, e.select(pred, zero, ct));
            return true;
          })
          // Elementwise nonlinear ops: ct times the local derivative.
          .Case<MulOp>([&](auto) {
            set(0, e.mul(ct, x(1)));
            set(1, e.mul(x(0), ct));
            return true;
          })
          .Case<DivOp>([&](auto) {
            set(0, e.div(ct, x(1)));
            // JAX's form, -ct * a * b^-2, so results match it bit for bit.
            set(1, e.mul(e.mul(e.neg(ct), x(0)),
                         IntegerPowOp::create(b, e.loc, e.type(y), x(1), -2)));
            return true;
          })
          .Case<PowOp>([&](auto) {
            // d/da = b * a^(b-1); d/db = y * log(a) (0 where a == 0, as JAX).
            Value bm1 = e.sub(x(1), e.like(y, 1));
            set(0, e.mul(ct, e.mul(x(1), PowOp::create(b, e.loc, e.type(y),
                                                       x(0), bm1))));
            Value isZero =
                e.compare(ComparisonDirection::EQ, x(0), e.zerosLike(y));
            Value logA = LogOp::create(b, e.loc, e.type(y),
                                       e.select(isZero, e.like(y, 1), x(0)));
            set(1, e.select(isZero, e.zerosLike(y), e.mul(ct, e.mul(y, logA))));
            return true;
          })
          .Case<RevOp>([&](RevOp r) {
            set(0, RevOp::create(b, e.loc, e.type(ct), ct, r.getDimensions()));
            return true;
          })
          .Case<ClampOp>([&](auto) {
            // JAX's rule: the operand where min < x < max, min where
            // min > x and min < max, max where max < x.
            ClampMasks m = clampMasks(e, x(0), x(1), x(2));
            Value zero = e.zerosLike(ct);
            set(1, e.select(m.operand, ct, zero));
            set(0, sumToBound(e, e.select(m.min, ct, zero), x(0)));
            set(2, sumToBound(e, e.select(m.max, ct, zero), x(2)));
            return true;
          })
          .Case<MaxOp, MinOp>([&](Operation *m) {
            // The chosen operand gets ct; ties split it evenly, as in JAX.
            bool isMax = isa<MaxOp>(m);
            Value wins = e.compare(isMax ? ComparisonDirection::GT
                                         : ComparisonDirection::LT,
                                   x(0), x(1));
            Value tie = e.compare(ComparisonDirection::EQ, x(0), x(1));
            Value zero = e.zerosLike(ct);
            Value half = e.mul(ct, e.like(ct, 0.5));
            Value lhs = e.select(wins, ct, e.select(tie, half, zero));
            Value loses = e.compare(isMax ? ComparisonDirection::LT
                                          : ComparisonDirection::GT,
                                    x(0), x(1));
            Value rhs = e.select(loses, ct, e.select(tie, half, zero));
            set(0, lhs);
            set(1, rhs);
            return true;
          })
          .Case<ReduceMaxOp, ReduceMinOp>([&](Operation *r) {
            // ct goes to the positions equal to the extreme, split evenly.
            auto operandType = cast<RankedTensorType>(x(0).getType());
            ArrayRef<int64_t> axes = isa<ReduceMaxOp>(r)
                                         ? cast<ReduceMaxOp>(r).getAxes()
                                         : cast<ReduceMinOp>(r).getAxes();
            SmallVector<int64_t> kept = keptDims(operandType, axes);
            Value extreme = e.broadcast(y, operandType, kept);
            Value mask =
                e.convert(e.compare(ComparisonDirection::EQ, x(0), extreme),
                          operandType.getElementType());
            Value count = e.reduceSum(mask, axes);
            Value share = e.broadcast(e.div(ct, count), operandType, kept);
            set(0, e.mul(mask, share));
            return true;
          })
          .Case<DotGeneralOp>([&](DotGeneralOp d) {
            auto lhsType = d.getLhs().getType(), rhsType = d.getRhs().getType();
            if (isDifferentiableType(lhsType))
              operandCts[0] = dotGeneralOperandCt(
                  e, ct, d.getRhs(), /*selfIsLhs=*/true, lhsType,
                  d.getLhsBatchingDimensions(), d.getLhsContractingDimensions(),
                  d.getRhsBatchingDimensions(),
                  d.getRhsContractingDimensions());
            if (isDifferentiableType(rhsType))
              operandCts[1] = dotGeneralOperandCt(
                  e, ct, d.getLhs(), /*selfIsLhs=*/false, rhsType,
                  d.getRhsBatchingDimensions(), d.getRhsContractingDimensions(),
                  d.getLhsBatchingDimensions(),
                  d.getLhsContractingDimensions());
            return true;
          })
          .Case<func::CallOp>([&](func::CallOp call) {
            auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                call, call.getCalleeAttr());
            if (!callee)
              return false;
            SmallVector<Value> cts;
            for (auto [r, c] : llvm::zip(call.getResults(), resultCts))
              cts.push_back(c ? c : e.zerosLike(r));
            // custom_vjp: residuals from @fwd, cotangents from @bwd.
            if (auto fwd = callee->getAttrOfType<FlatSymbolRefAttr>(
                    "mlax.custom_vjp_fwd")) {
              auto bwd = callee->getAttrOfType<FlatSymbolRefAttr>(
                  "mlax.custom_vjp_bwd");
              auto fwdFn =
                  SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(call, fwd);
              auto bwdFn =
                  bwd ? SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(call,
                                                                           bwd)
                      : func::FuncOp();
              if (!fwdFn || !bwdFn)
                return false;
              auto fwdCall =
                  func::CallOp::create(b, e.loc, fwdFn, call.getOperands());
              SmallVector<Value> bwdArgs(
                  fwdCall.getResults().drop_front(call.getNumResults()));
              llvm::append_range(bwdArgs, cts);
              auto bwdCall = func::CallOp::create(b, e.loc, bwdFn, bwdArgs);
              for (auto [i, v] : llvm::enumerate(bwdCall.getResults()))
                set(i, v);
              return true;
            }
            // custom_jvp: transpose the user's rule, which is linear in the
            // tangents: the VJP of t -> rule(x, t) w.r.t. t.
            if (auto rule = callee->getAttrOfType<FlatSymbolRefAttr>(
                    "mlax.custom_jvp")) {
              unsigned n = call.getNumOperands();
              SmallVector<bool> active(n, false);
              SmallVector<Value> inputs(call.getOperands());
              SmallVector<Type> outTypes(call.getResultTypes());
              llvm::append_range(outTypes, call.getResultTypes());
              for (Value v : call.getOperands()) {
                bool diff = isDifferentiableType(v.getType());
                active.push_back(diff);
                inputs.push_back(e.zerosLike(v));
                if (diff)
                  outTypes.push_back(v.getType());
              }
              // Cotangents: zero for the primal outputs, ct for the tangents.
              for (Value r : call.getResults())
                inputs.push_back(e.zerosLike(r));
              llvm::append_range(inputs, cts);
              auto request = VjpOp::create(b, e.loc, outTypes, rule, inputs,
                                           b.getDenseBoolArrayAttr(active));
              unsigned next = 2 * call.getNumResults();
              for (unsigned i = 0; i < n; ++i)
                if (active[n + i])
                  operandCts[i] = request.getResult(next++);
              return true;
            }
            // A checkpointed call: request the callee's VJP (recomputing it).
            // Its inputs and the cotangents pass through one optimization
            // barrier, so CSE cannot merge the recomputation back into the
            // forward pass and it waits for the cotangents (as JAX's remat).
            SmallVector<bool> active;
            SmallVector<Type> outTypes(call.getResultTypes());
            for (Value v : call.getOperands()) {
              active.push_back(isDifferentiableType(v.getType()) &&
                               isVaried(v));
              if (active.back())
                outTypes.push_back(v.getType());
            }
            SmallVector<Value> barrierInputs(call.getOperands());
            llvm::append_range(barrierInputs, cts);
            auto barrier =
                OptimizationBarrierOp::create(b, e.loc, barrierInputs);
            SmallVector<Value> inputs(barrier.getResults());
            auto request =
                VjpOp::create(b, e.loc, outTypes, call.getCalleeAttr(), inputs,
                              b.getDenseBoolArrayAttr(active));
            unsigned next = call.getNumResults();
            for (auto [i, flag] : llvm::enumerate(active))
              if (flag)
                operandCts[i] = request.getResult(next++);
            return true;
          })
          .Default([&](Operation *other) {
            if (isa<AbsOp>(other) &&
                isa<ComplexType>(e.type(x(0)).getElementType())) {
              set(0, e.mul(e.complex(ct, e.zerosLike(ct)),
                           complexAbsFactor(e, x(0), y)));
              return true;
            }
            Value d = unaryDerivative(other, e);
            if (!d)
              return false;
            set(0, e.mul(ct, d));
            return true;
          });
  if (!handled)
    return op->emitOpError("has no reverse-mode derivative rule yet "
                           "(mlax-autodiff)");
  return success();
}
