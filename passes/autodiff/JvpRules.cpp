//===- JvpRules.cpp - forward-mode derivative rules, one per op -----------===//
//
// The rule for op `mlax.X` is the `case` for XOp in buildJvp below: given
// the tangents of the operands (null = zero), it returns the result's
// tangent as ordinary mlax ops. Ops linear in their float operands reuse
// the op itself on the tangents; unary elementwise ops multiply by the
// local derivative from ElementwiseDerivatives.cpp.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/ControlFlowDerivatives.h"
#include "passes/autodiff/DerivativeUtils.h"
#include "passes/autodiff/SpmdDerivatives.h"
#include "passes/autodiff/VjpRules.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlax;

LogicalResult mlax::hostCallbackDerivative(HostCallbackOp op) {
  switch (op.getKind()) {
  case CallbackKind::debug:
    return success();
  case CallbackKind::pure:
    return op.emitOpError(
        "Pure callbacks do not support JVP. Please use `jax.custom_jvp` to "
        "use callbacks while taking gradients.");
  case CallbackKind::io:
    return op.emitOpError("IO callbacks do not support JVP.");
  }
  llvm_unreachable("unknown callback kind");
}

LogicalResult mlax::buildJvp(Operation *op, ArrayRef<Value> tangents,
                             SmallVectorImpl<Value> &resultTangents,
                             OpBuilder &b) {
  resultTangents.assign(op->getNumResults(), Value());
  // An optimization barrier is the identity on each value.
  if (isa<OptimizationBarrierOp>(op)) {
    llvm::copy(tangents, resultTangents.begin());
    return success();
  }
  if (auto callback = dyn_cast<HostCallbackOp>(op))
    return hostCallbackDerivative(callback);
  if (auto shardMap = dyn_cast<ShardMapOp>(op))
    return shardMapJvp(shardMap, tangents, resultTangents, b);
  if (auto cond = dyn_cast<CondOp>(op))
    return condJvp(cond, tangents, resultTangents, b);
  if (auto loop = dyn_cast<WhileOp>(op))
    return whileJvp(loop, tangents, resultTangents, b);
  if (auto scan = dyn_cast<ScanOp>(op))
    return scanJvp(scan, tangents, resultTangents, b);
  // sort: the tangents ride along as more operands, so the keys'
  // permutation moves them too.
  if (auto sort = dyn_cast<SortOp>(op)) {
    int64_t numKeys = sort.getNumKeys();
    SmallVector<Value> inputs(sort.getInputs().take_front(numKeys));
    SmallVector<unsigned> carried;
    for (auto [i, t] : llvm::enumerate(tangents))
      if (t) {
        carried.push_back(i);
        inputs.push_back(t);
      }
    if (carried.empty())
      return success();
    SmallVector<Type> types;
    for (Value v : inputs)
      types.push_back(v.getType());
    auto moved = SortOp::create(b, op->getLoc(), types, inputs,
                                sort.getDimension(), numKeys);
    for (auto [j, i] : llvm::enumerate(carried))
      resultTangents[i] = moved.getResult(numKeys + j);
    return success();
  }
  // top_k: the tangent read where the values were (take_along_axis).
  if (auto topK = dyn_cast<TopKOp>(op)) {
    if (!tangents[0])
      return success();
    Emit e{b, op->getLoc()};
    int64_t rank = topK.getOperand().getType().getRank();
    resultTangents[0] =
        GatherOp::create(b, e.loc, topK.getValues().getType(), tangents[0],
                         topKPoints(e, topK.getIndices()),
                         llvm::to_vector(llvm::seq<int64_t>(0, rank)),
                         IndexMode::clip, TypedAttr());
    return success();
  }
  if (op->getNumResults() == 0 || op->hasTrait<trait::ZeroDerivative>() ||
      (!isa<func::CallOp>(op) &&
       !isDifferentiableType(op->getResult(0).getType())))
    return success();
  Emit e{b, op->getLoc()};
  auto x = [&](unsigned i) { return op->getOperand(i); };
  Value y = op->getResult(0);
  auto t = [&](unsigned i) { return tangents[i]; };
  // A float operand's tangent, materialized as zeros when symbolic.
  auto tz = [&](unsigned i) { return t(i) ? t(i) : e.zerosLike(x(i)); };
  auto addNullable = [&](Value a, Value c) {
    return !a ? c : !c ? a : e.add(a, c);
  };
  Value &out = resultTangents[0];
  // The op itself applied to the tangents of its float operands.
  auto linear = [&]() {
    bool any = false;
    IRMapping mapping;
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      if (!isDifferentiableType(x(i).getType()))
        continue;
      any |= (bool)t(i);
      mapping.map(x(i), tz(i));
    }
    if (any)
      out = b.clone(*op, mapping)->getResult(0);
    return true;
  };
  if (isLinearCollective(op))
    return linear(), success();
  bool handled =
      llvm::TypeSwitch<Operation *, bool>(op)
          .Case<AddOp, SubOp, NegOp, ConvertOp, ReshapeOp, TransposeOp,
                ShardingConstraintOp, BroadcastInDimOp, ReduceSumOp, SliceOp,
                ConcatenateOp, RevOp, PadOp, DynamicSliceOp,
                DynamicUpdateSliceOp, SelectOp, GatherOp, CumsumOp, RealOp,
                ImagOp, ConjOp, ComplexOp>([&](auto) { return linear(); })
          // scatter add / replace are linear in (operand, updates); mul,
          // min and max have no rule yet.
          .Case<ScatterOp>([&](ScatterOp s) {
            switch (s.getKind()) {
            case ScatterKind::add:
            case ScatterKind::replace:
              return linear();
            case ScatterKind::mul:
              // Linear in the operand; the updates' tangent would need
              // unique indices (JAX raises for it too).
              if (t(2))
                return false;
              if (t(0))
                out = ScatterOp::create(b, e.loc, e.type(y), ScatterKind::mul,
                                        t(0), s.getIndices(), x(2), s.getDims(),
                                        s.getMode());
              return true;
            case ScatterKind::min:
            case ScatterKind::max: {
              // JAX's rule: the tangents of every element equal to the
              // result, averaged.
              ScatterExtremal w = scatterExtremal(e, s);
              Value sum = e.mul(w.operandWins, tz(0));
              if (t(2))
                sum = e.add(sum, ScatterOp::create(
                                     b, e.loc, e.type(y), ScatterKind::add,
                                     e.zerosLike(y), s.getIndices(),
                                     e.mul(w.updateWins, t(2)), s.getDims(),
                                     s.getMode()));
              out = e.div(sum, w.count);
              return true;
            }
            }
            return false;
          })
          .Case<CumprodOp, CummaxOp, CumminOp, CumlogsumexpOp>(
              [&](Operation *c) {
                if (t(0))
                  out = cumulativeJvp(e, c, t(0));
                return true;
              })
          .Case<MulOp>([&](auto) {
            out = addNullable(t(0) ? e.mul(t(0), x(1)) : Value(),
                              t(1) ? e.mul(x(0), t(1)) : Value());
            return true;
          })
          .Case<DivOp>([&](auto) {
            out = addNullable(t(0) ? e.div(t(0), x(1)) : Value(),
                              t(1) ? e.neg(e.div(e.mul(t(1), y), x(1)))
                                   : Value());
            return true;
          })
          .Case<RemOp>([&](auto) {
            Value trunc = truncQuotient(e, x(0), x(1));
            out = addNullable(t(0), t(1) ? e.neg(e.mul(t(1), trunc)) : Value());
            return true;
          })
          .Case<Atan2Op>([&](auto) {
            Value denom = e.add(e.mul(x(0), x(0)), e.mul(x(1), x(1)));
            out = addNullable(t(0) ? e.div(e.mul(t(0), x(1)), denom) : Value(),
                              t(1) ? e.neg(e.div(e.mul(t(1), x(0)), denom))
                                   : Value());
            return true;
          })
          .Case<ReduceProdOp>([&](ReduceProdOp r) {
            if (t(0))
              out = e.reduceSum(e.mul(t(0), prodPartials(e, x(0), r.getAxes())),
                                r.getAxes());
            return true;
          })
          .Case<MaxOp, MinOp>([&](Operation *m) {
            if (!t(0) && !t(1))
              return true;
            bool isMax = isa<MaxOp>(m);
            Value wins = e.compare(isMax ? ComparisonDirection::GT
                                         : ComparisonDirection::LT,
                                   x(0), x(1));
            Value tie = e.compare(ComparisonDirection::EQ, x(0), x(1));
            Value half = e.mul(e.add(tz(0), tz(1)), e.like(y, 0.5));
            out = e.select(wins, tz(0), e.select(tie, half, tz(1)));
            return true;
          })
          .Case<PowOp>([&](auto) {
            Value da, db;
            if (t(0)) {
              Value bm1 = e.sub(x(1), e.like(y, 1));
              da = e.mul(t(0), e.mul(x(1), PowOp::create(b, e.loc, e.type(y),
                                                         x(0), bm1)));
            }
            if (t(1)) {
              Value isZero =
                  e.compare(ComparisonDirection::EQ, x(0), e.zerosLike(y));
              Value logA = LogOp::create(b, e.loc, e.type(y),
                                         e.select(isZero, e.like(y, 1), x(0)));
              db =
                  e.select(isZero, e.zerosLike(y), e.mul(t(1), e.mul(y, logA)));
            }
            out = addNullable(da, db);
            return true;
          })
          .Case<ClampOp>([&](auto) {
            if (!t(0) && !t(1) && !t(2))
              return true;
            ClampMasks m = clampMasks(e, x(0), x(1), x(2));
            auto full = [&](Value v) {
              return e.type(v).getRank() == 0 && e.type(y).getRank() != 0
                         ? e.broadcast(v, e.type(y), {})
                         : v;
            };
            Value zero = e.zerosLike(y);
            out = e.select(m.operand, tz(1),
                           e.select(m.min, full(tz(0)),
                                    e.select(m.max, full(tz(2)), zero)));
            return true;
          })
          .Case<ReduceMaxOp, ReduceMinOp>([&](Operation *r) {
            if (!t(0))
              return true;
            auto operandType = e.type(x(0));
            ArrayRef<int64_t> axes = isa<ReduceMaxOp>(r)
                                         ? cast<ReduceMaxOp>(r).getAxes()
                                         : cast<ReduceMinOp>(r).getAxes();
            SmallVector<int64_t> kept = keptDims(operandType, axes);
            Value mask = e.convert(e.compare(ComparisonDirection::EQ, x(0),
                                             e.broadcast(y, operandType, kept)),
                                   operandType.getElementType());
            out = e.div(e.reduceSum(e.mul(mask, t(0)), axes),
                        e.reduceSum(mask, axes));
            return true;
          })
          .Case<DotGeneralOp>([&](auto) {
            // Bilinear: dot(t_lhs, rhs) + dot(lhs, t_rhs). Operands are
            // replaced by position, since lhs and rhs may be one value.
            auto withOperand = [&](unsigned i, Value v) {
              Operation *clone = b.clone(*op);
              clone->setOperand(i, v);
              return clone->getResult(0);
            };
            out = addNullable(t(0) ? withOperand(0, t(0)) : Value(),
                              t(1) ? withOperand(1, t(1)) : Value());
            return true;
          })
          .Case<func::CallOp>([&](func::CallOp call) {
            auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                call, call.getCalleeAttr());
            if (!callee || callee->hasAttr("mlax.custom_vjp_fwd"))
              return false; // custom_vjp has no forward mode (as in JAX)
            unsigned n = call.getNumResults();
            // custom_jvp: call the user's rule (primals, tangents).
            if (auto rule = callee->getAttrOfType<FlatSymbolRefAttr>(
                    "mlax.custom_jvp")) {
              auto ruleFn = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                  call, rule);
              if (!ruleFn)
                return false;
              SmallVector<Value> args(call.getOperands());
              for (auto [i, v] : llvm::enumerate(call.getOperands()))
                args.push_back(
                    isDifferentiableType(v.getType()) ? tz(i) : e.zerosLike(v));
              auto ruleCall = func::CallOp::create(b, e.loc, ruleFn, args);
              for (unsigned i = 0; i < n; ++i)
                if (isDifferentiableType(call.getResult(i).getType()))
                  resultTangents[i] = ruleCall.getResult(n + i);
              return true;
            }
            // A checkpointed call: request the callee's JVP.
            SmallVector<bool> active;
            SmallVector<Value> inputs(call.getOperands());
            // Only operands that carry a tangent are active (a value the
            // callee's custom rules close over may be constant here).
            for (auto [i, v] : llvm::enumerate(call.getOperands())) {
              active.push_back(isDifferentiableType(v.getType()) && t(i));
              if (active.back())
                inputs.push_back(t(i));
            }
            SmallVector<Type> outTypes(call.getResultTypes());
            llvm::append_range(outTypes, call.getResultTypes());
            auto request =
                JvpOp::create(b, e.loc, outTypes, call.getCalleeAttr(), inputs,
                              b.getDenseBoolArrayAttr(active));
            for (unsigned i = 0; i < n; ++i)
              if (isDifferentiableType(call.getResult(i).getType()))
                resultTangents[i] = request.getResult(n + i);
            return true;
          })
          .Default([&](Operation *other) {
            if (isa<AbsOp>(other) &&
                isa<ComplexType>(e.type(x(0)).getElementType())) {
              if (t(0))
                out = e.real(e.mul(t(0), complexAbsFactor(e, x(0), y)));
              return true;
            }
            Value d = unaryDerivative(other, e);
            if (!d)
              return false;
            if (t(0))
              out = e.mul(t(0), d);
            return true;
          });
  if (!handled)
    return op->emitOpError("has no forward-mode derivative rule yet "
                           "(mlax-autodiff)");
  return success();
}
