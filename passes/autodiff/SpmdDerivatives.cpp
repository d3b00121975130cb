//===- SpmdDerivatives.cpp - derivatives of collectives and shard_map -----===//
//
// The collectives psum(sum), all_gather, psum_scatter, all_to_all and
// ppermute are linear: their JVP is the op on the tangent (JvpRules.cpp
// clones them), and their VJP is the transpose JAX defines, built here:
//   psum          -> psum            (pmap's convention: grad of psum is N)
//   all_gather    -> psum_scatter    (same dimension and tiling)
//   psum_scatter  -> all_gather
//   all_to_all    -> all_to_all      (split and concat swapped)
//   ppermute      -> ppermute        (pairs inverted)
// pmax/pmin have no derivative (nor in JAX); axis_index has a zero one.
//
// shard_map in either mode is a shard_map of a derivative request of its
// callee: a private wrapper function holds the request (mlax-autodiff
// expands it later, innermost first), and the specs of the tangents or
// cotangents are those of the values they belong to. The reverse mode
// recomputes the callee's forward pass inside the wrapper, as a
// checkpointed call does. As in JAX's shard_map transpose, a result
// replicated over some mesh axes (its spec leaves them out) has its
// cotangent divided by their size (the copies are one value), and an
// argument replicated over some axes gets its cotangent psum'med over them.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/SpmdDerivatives.h"
#include "passes/TransformRequests.h"
#include "passes/autodiff/DerivativeUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlax;

Value mlax::transposeCollective(Operation *op, Value ct, OpBuilder &b) {
  Location loc = op->getLoc();
  auto operandType = cast<RankedTensorType>(op->getOperand(0).getType());
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case<PsumOp>([&](PsumOp p) -> Value {
        if (p.getReduction() != Reduction::SUM)
          return {};
        return PsumOp::create(b, loc, ct.getType(), ct, Reduction::SUM,
                              p.getAxisNames(), p.getAxisSizes());
      })
      .Case<AllGatherOp>([&](AllGatherOp g) -> Value {
        return PsumScatterOp::create(b, loc, operandType, ct, g.getAxisNames(),
                                     g.getAxisSizes(), g.getDimension(),
                                     g.getTiled());
      })
      .Case<PsumScatterOp>([&](PsumScatterOp s) -> Value {
        return AllGatherOp::create(b, loc, operandType, ct, s.getAxisNames(),
                                   s.getAxisSizes(), s.getDimension(),
                                   s.getTiled());
      })
      .Case<AllToAllOp>([&](AllToAllOp a) -> Value {
        return AllToAllOp::create(b, loc, operandType, ct, a.getAxisNames(),
                                  a.getAxisSizes(), a.getConcatDimension(),
                                  a.getSplitDimension());
      })
      .Case<PpermuteOp>([&](PpermuteOp p) -> Value {
        SmallVector<int64_t> inverse;
        ArrayRef<int64_t> pairs = p.getPairs();
        for (size_t i = 0; i < pairs.size(); i += 2)
          inverse.append({pairs[i + 1], pairs[i]});
        return PpermuteOp::create(b, loc, ct.getType(), ct, p.getAxisNames(),
                                  p.getAxisSizes(), inverse);
      })
      .Default([](Operation *) { return Value(); });
}

bool mlax::isLinearCollective(Operation *op) {
  if (auto psum = dyn_cast<PsumOp>(op))
    return psum.getReduction() == Reduction::SUM;
  return isa<AllGatherOp, PsumScatterOp, AllToAllOp, PpermuteOp>(op);
}

namespace {

/// The mesh axes `spec` (one list of axis names per dimension) leaves out.
SmallVector<int64_t> unmentionedAxes(ShardMapOp op, Attribute spec,
                                     SmallVectorImpl<StringRef> &names) {
  llvm::StringSet<> mentioned;
  for (Attribute dim : cast<ArrayAttr>(spec))
    for (Attribute axis : cast<ArrayAttr>(dim))
      mentioned.insert(cast<StringAttr>(axis).getValue());
  SmallVector<int64_t> sizes;
  for (auto [axis, size] : llvm::zip(op.getMeshAxes(), op.getMeshShape())) {
    StringRef name = cast<StringAttr>(axis).getValue();
    if (!mentioned.contains(name)) {
      names.push_back(name);
      sizes.push_back(size);
    }
  }
  return sizes;
}

} // namespace

LogicalResult mlax::shardMapJvp(ShardMapOp op, ArrayRef<Value> tangents,
                                SmallVectorImpl<Value> &resultTangents,
                                OpBuilder &b) {
  SmallVector<bool> active;
  SmallVector<Value> inputs(op.getInputs());
  SmallVector<Attribute> inSpecs(op.getInSpecs().begin(),
                                 op.getInSpecs().end());
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, op.getCalleeAttr());
  SmallVector<Type> localIn(callee.getArgumentTypes());
  for (auto [i, v] : llvm::enumerate(op.getInputs())) {
    active.push_back(isDifferentiableType(v.getType()) && tangents[i]);
    if (active.back()) {
      inputs.push_back(tangents[i]);
      inSpecs.push_back(op.getInSpecs()[i]);
      localIn.push_back(callee.getArgumentTypes()[i]);
    }
  }
  SmallVector<Type> localOut(callee.getResultTypes());
  llvm::append_range(localOut, callee.getResultTypes());
  auto wrapper =
      makeWrapper(op, (op.getCallee() + "_shard_jvp").str(), localIn, localOut,
                  [&](OpBuilder &fb, ValueRange args) {
                    auto request = JvpOp::create(
                        fb, op.getLoc(), localOut, op.getCalleeAttr(), args,
                        fb.getDenseBoolArrayAttr(active));
                    return SmallVector<Value>(request.getResults());
                  });
  SmallVector<Attribute> outSpecs(op.getOutSpecs().begin(),
                                  op.getOutSpecs().end());
  llvm::append_range(outSpecs, op.getOutSpecs());
  SmallVector<Type> outTypes(op.getResultTypes());
  llvm::append_range(outTypes, op.getResultTypes());
  auto mapped = ShardMapOp::create(
      b, op.getLoc(), outTypes, wrapper.getSymName(), inputs, op.getMeshAxes(),
      op.getMeshShape(), b.getArrayAttr(inSpecs), b.getArrayAttr(outSpecs));
  unsigned n = op.getNumResults();
  resultTangents.assign(n, Value());
  for (unsigned i = 0; i < n; ++i)
    if (isDifferentiableType(op.getResult(i).getType()))
      resultTangents[i] = mapped.getResult(n + i);
  return success();
}

LogicalResult mlax::shardMapVjp(ShardMapOp op, ArrayRef<Value> resultCts,
                                SmallVectorImpl<Value> &operandCts,
                                OpBuilder &b,
                                function_ref<bool(Value)> isVaried) {
  Emit e{b, op.getLoc()};
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, op.getCalleeAttr());
  SmallVector<bool> active;
  SmallVector<Value> inputs(op.getInputs());
  SmallVector<Type> localIn(callee.getArgumentTypes());
  SmallVector<Attribute> inSpecs(op.getInSpecs().begin(),
                                 op.getInSpecs().end());
  // Cotangents of every result (zeros where none flowed).
  for (auto [i, r] : llvm::enumerate(op.getResults())) {
    inputs.push_back(resultCts[i] ? resultCts[i] : e.zerosLike(r));
    inSpecs.push_back(op.getOutSpecs()[i]);
    localIn.push_back(callee.getResultTypes()[i]);
  }
  SmallVector<Type> localOut(callee.getResultTypes());
  SmallVector<Type> outTypes(op.getResultTypes());
  SmallVector<Attribute> outSpecs(op.getOutSpecs().begin(),
                                  op.getOutSpecs().end());
  for (auto [i, v] : llvm::enumerate(op.getInputs())) {
    active.push_back(isDifferentiableType(v.getType()) && isVaried(v));
    if (active.back()) {
      localOut.push_back(callee.getArgumentTypes()[i]);
      outTypes.push_back(v.getType());
      outSpecs.push_back(op.getInSpecs()[i]);
    }
  }
  auto wrapper = makeWrapper(
      op, (op.getCallee() + "_shard_vjp").str(), localIn, localOut,
      [&](OpBuilder &fb, ValueRange args) {
        Emit fe{fb, op.getLoc()};
        unsigned nArgs = callee.getNumArguments();
        SmallVector<Value> requestArgs(args);
        for (unsigned i = 0; i < op.getNumResults(); ++i) {
          SmallVector<StringRef> names;
          int64_t copies = 1;
          for (int64_t s : unmentionedAxes(op, op.getOutSpecs()[i], names))
            copies *= s;
          Value &ct = requestArgs[nArgs + i];
          if (copies > 1 && isDifferentiableType(ct.getType()))
            ct = fe.mul(ct, fe.like(ct, 1.0 / copies));
        }
        auto request =
            VjpOp::create(fb, op.getLoc(), localOut, op.getCalleeAttr(),
                          requestArgs, fb.getDenseBoolArrayAttr(active));
        SmallVector<Value> outs(request.getResults());
        unsigned next = op.getNumResults();
        for (auto [i, flag] : llvm::enumerate(active)) {
          if (!flag)
            continue;
          SmallVector<StringRef> names;
          SmallVector<int64_t> sizes =
              unmentionedAxes(op, op.getInSpecs()[i], names);
          Value &ct = outs[next++];
          if (!names.empty())
            ct = PsumOp::create(fb, op.getLoc(), ct.getType(), ct,
                                Reduction::SUM, fb.getStrArrayAttr(names),
                                sizes);
        }
        return outs;
      });
  auto mapped = ShardMapOp::create(
      b, op.getLoc(), outTypes, wrapper.getSymName(), inputs, op.getMeshAxes(),
      op.getMeshShape(), b.getArrayAttr(inSpecs), b.getArrayAttr(outSpecs));
  operandCts.assign(op.getNumOperands(), Value());
  unsigned next = op.getNumResults();
  for (auto [i, flag] : llvm::enumerate(active))
    if (flag)
      operandCts[i] = mapped.getResult(next++);
  return success();
}
