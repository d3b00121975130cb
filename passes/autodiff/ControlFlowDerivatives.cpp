//===- ControlFlowDerivatives.cpp - derivatives of cond, while, scan ------===//
//
// Control flow calls functions, so each rule builds the same op again over
// wrapper functions holding derivative requests on the callees; mlax-autodiff
// expands those requests later (innermost first):
//   cond   JVP: a cond of the branches' JVP requests (same index).
//          VJP: a cond of the branches' VJP requests: the cotangent flows
//          through the branch that ran.
//   while  JVP: a while over (carry, tangents); the condition sees the carry
//          only, the body is the body's JVP request.
//          VJP: refused, as JAX refuses it (the trip count is dynamic).
//   scan   JVP: a scan over (carry, tangents) and (xs, tangents) whose body
//          is the body's JVP request.
//          VJP: a forward scan recomputes the carries and stacks each
//          iteration's input carry; a reverse scan then runs the body's VJP
//          request on (saved carry, x) with the carry cotangent as its carry
//          and the consts' cotangents summed in an accumulator.
//
//===----------------------------------------------------------------------===//

#include "passes/autodiff/ControlFlowDerivatives.h"
#include "passes/autodiff/DerivativeUtils.h"

using namespace mlir;
using namespace mlax;

namespace {

SmallVector<Type> typesOf(ValueRange values) {
  return SmallVector<Type>(values.getTypes());
}

Value zerosOf(OpBuilder &b, Location loc, Type type) {
  return Emit{b, loc}.zeros(cast<RankedTensorType>(type));
}

RankedTensorType rowType(Type stacked) {
  auto t = cast<RankedTensorType>(stacked);
  return RankedTensorType::get(t.getShape().drop_front(), t.getElementType());
}

} // namespace

// ---------------------------------------------------------------------------
// cond
// ---------------------------------------------------------------------------

LogicalResult mlax::condJvp(CondOp op, ArrayRef<Value> tangents,
                            SmallVectorImpl<Value> &resultTangents,
                            OpBuilder &b) {
  Location loc = op.getLoc();
  SmallVector<bool> active;
  SmallVector<Value> inputs(op.getInputs());
  for (auto [i, v] : llvm::enumerate(op.getInputs())) {
    Value t = tangents[i + 1]; // operand 0 is the index
    active.push_back(isDifferentiableType(v.getType()) && t);
    if (active.back())
      inputs.push_back(t);
  }
  SmallVector<Type> outTypes(op.getResultTypes());
  llvm::append_range(outTypes, op.getResultTypes());
  SmallVector<Attribute> branches;
  for (auto [k, name] : llvm::enumerate(op.getBranches())) {
    auto callee = cast<FlatSymbolRefAttr>(name);
    auto wrapper =
        makeWrapper(op, (callee.getValue() + "_jvp").str(), typesOf(inputs),
                    outTypes, [&](OpBuilder &fb, ValueRange args) {
                      auto request =
                          JvpOp::create(fb, loc, outTypes, callee, args,
                                        fb.getDenseBoolArrayAttr(active));
                      return SmallVector<Value>(request.getResults());
                    });
    branches.push_back(FlatSymbolRefAttr::get(wrapper.getSymNameAttr()));
  }
  auto cond = CondOp::create(b, loc, outTypes, op.getIndex(),
                             b.getArrayAttr(branches), inputs);
  unsigned n = op.getNumResults();
  resultTangents.assign(n, Value());
  for (unsigned i = 0; i < n; ++i)
    if (isDifferentiableType(op.getResult(i).getType()))
      resultTangents[i] = cond.getResult(n + i);
  return success();
}

LogicalResult mlax::condVjp(CondOp op, ArrayRef<Value> resultCts,
                            SmallVectorImpl<Value> &operandCts, OpBuilder &b,
                            function_ref<bool(Value)> isVaried) {
  Location loc = op.getLoc();
  SmallVector<Value> inputs(op.getInputs());
  for (auto [i, r] : llvm::enumerate(op.getResults()))
    inputs.push_back(resultCts[i] ? resultCts[i]
                                  : zerosOf(b, loc, r.getType()));
  SmallVector<bool> active;
  SmallVector<Type> outTypes(op.getResultTypes());
  for (Value v : op.getInputs()) {
    active.push_back(isDifferentiableType(v.getType()) && isVaried(v));
    if (active.back())
      outTypes.push_back(v.getType());
  }
  SmallVector<Attribute> branches;
  for (Attribute name : op.getBranches()) {
    auto callee = cast<FlatSymbolRefAttr>(name);
    auto wrapper =
        makeWrapper(op, (callee.getValue() + "_vjp").str(), typesOf(inputs),
                    outTypes, [&](OpBuilder &fb, ValueRange args) {
                      auto request =
                          VjpOp::create(fb, loc, outTypes, callee, args,
                                        fb.getDenseBoolArrayAttr(active));
                      return SmallVector<Value>(request.getResults());
                    });
    branches.push_back(FlatSymbolRefAttr::get(wrapper.getSymNameAttr()));
  }
  auto cond = CondOp::create(b, loc, outTypes, op.getIndex(),
                             b.getArrayAttr(branches), inputs);
  operandCts.assign(op->getNumOperands(), Value());
  unsigned next = op.getNumResults();
  for (auto [i, flag] : llvm::enumerate(active))
    if (flag)
      operandCts[i + 1] = cond.getResult(next++);
  return success();
}

// ---------------------------------------------------------------------------
// while
// ---------------------------------------------------------------------------

LogicalResult mlax::whileJvp(WhileOp op, ArrayRef<Value> tangents,
                             SmallVectorImpl<Value> &resultTangents,
                             OpBuilder &b) {
  Location loc = op.getLoc();
  unsigned numCarry = op.getNumResults();
  ValueRange carry = op.getInputs().take_front(numCarry);
  ValueRange consts = op.getInputs().drop_front(numCarry);
  // Every float carry entry carries a tangent (it may become nonzero);
  // consts only those given one.
  SmallVector<bool> active;
  SmallVector<Value> tCarry, tConsts;
  for (auto [i, v] : llvm::enumerate(carry)) {
    active.push_back(isDifferentiableType(v.getType()));
    if (active.back())
      tCarry.push_back(tangents[i] ? tangents[i]
                                   : zerosOf(b, loc, v.getType()));
  }
  for (auto [i, v] : llvm::enumerate(consts)) {
    Value t = tangents[numCarry + i];
    active.push_back(isDifferentiableType(v.getType()) && t);
    if (active.back())
      tConsts.push_back(t);
  }
  SmallVector<Value> inputs(carry);
  llvm::append_range(inputs, tCarry);
  llvm::append_range(inputs, consts);
  llvm::append_range(inputs, tConsts);
  unsigned nt = tCarry.size(), nk = consts.size();
  // Wrapper arguments: (carry, tCarry, consts, tConsts); the original
  // functions take (carry, consts).
  auto split = [&](ValueRange args, SmallVectorImpl<Value> &primal,
                   SmallVectorImpl<Value> &tans) {
    primal.assign(args.begin(), args.begin() + numCarry);
    tans.assign(args.begin() + numCarry, args.begin() + numCarry + nt);
    ValueRange rest = args.drop_front(numCarry + nt);
    primal.append(rest.begin(), rest.begin() + nk);
    tans.append(rest.begin() + nk, rest.end());
  };
  auto pred = RankedTensorType::get({}, b.getI1Type());
  auto condWrapper =
      makeWrapper(op, (op.getCond() + "_jvp").str(), typesOf(inputs),
                  TypeRange{pred}, [&](OpBuilder &fb, ValueRange args) {
                    SmallVector<Value> primal, tans;
                    split(args, primal, tans);
                    auto call = func::CallOp::create(fb, loc, op.getCond(),
                                                     TypeRange{pred}, primal);
                    return SmallVector<Value>(call.getResults());
                  });
  SmallVector<Type> carryTypes(typesOf(carry));
  llvm::append_range(carryTypes, typesOf(tCarry));
  SmallVector<Type> requestOut(op.getResultTypes());
  llvm::append_range(requestOut, op.getResultTypes());
  auto bodyWrapper = makeWrapper(
      op, (op.getBody() + "_jvp").str(), typesOf(inputs), carryTypes,
      [&](OpBuilder &fb, ValueRange args) {
        SmallVector<Value> primal, tans;
        split(args, primal, tans);
        llvm::append_range(primal, tans);
        auto request = JvpOp::create(fb, loc, requestOut, op.getBodyAttr(),
                                     primal, fb.getDenseBoolArrayAttr(active));
        SmallVector<Value> out(request.getResults().take_front(numCarry));
        for (unsigned i = 0; i < numCarry; ++i)
          if (isDifferentiableType(op.getResult(i).getType()))
            out.push_back(request.getResult(numCarry + i));
        return out;
      });
  auto loop =
      WhileOp::create(b, loc, carryTypes, condWrapper.getSymName(),
                      bodyWrapper.getSymName(), inputs, nk + tConsts.size());
  resultTangents.assign(numCarry, Value());
  unsigned next = numCarry;
  for (unsigned i = 0; i < numCarry; ++i)
    if (isDifferentiableType(op.getResult(i).getType()))
      resultTangents[i] = loop.getResult(next++);
  return success();
}

LogicalResult mlax::whileVjp(WhileOp op) {
  return op.emitOpError(
      "Reverse-mode differentiation does not work for lax.while_loop or "
      "lax.fori_loop with dynamic start/stop values. Try using lax.scan, or "
      "using fori_loop with static start/stop.");
}

// ---------------------------------------------------------------------------
// scan
// ---------------------------------------------------------------------------

LogicalResult mlax::scanJvp(ScanOp op, ArrayRef<Value> tangents,
                            SmallVectorImpl<Value> &resultTangents,
                            OpBuilder &b) {
  Location loc = op.getLoc();
  unsigned nc = op.getNumCarry(), nx = op.numXs(), nk = op.getNumConsts();
  ValueRange ins = op.getInputs();
  ValueRange carry = ins.take_front(nc), xs = ins.slice(nc, nx),
             consts = ins.drop_front(nc + nx);
  SmallVector<bool> active;
  SmallVector<Value> tCarry, tXs, tConsts;
  for (auto [i, v] : llvm::enumerate(carry)) {
    active.push_back(isDifferentiableType(v.getType()));
    if (active.back())
      tCarry.push_back(tangents[i] ? tangents[i]
                                   : zerosOf(b, loc, v.getType()));
  }
  for (auto [i, v] : llvm::enumerate(xs)) {
    Value t = tangents[nc + i];
    active.push_back(isDifferentiableType(v.getType()) && t);
    if (active.back())
      tXs.push_back(t);
  }
  for (auto [i, v] : llvm::enumerate(consts)) {
    Value t = tangents[nc + nx + i];
    active.push_back(isDifferentiableType(v.getType()) && t);
    if (active.back())
      tConsts.push_back(t);
  }
  auto callee =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, op.getBodyAttr());
  unsigned ny = callee.getNumResults() - nc;
  // New scan: carry (carry, tCarry), xs (xs, tXs), consts (consts, tConsts).
  SmallVector<Value> inputs(carry);
  llvm::append_range(inputs, tCarry);
  llvm::append_range(inputs, xs);
  llvm::append_range(inputs, tXs);
  llvm::append_range(inputs, consts);
  llvm::append_range(inputs, tConsts);
  SmallVector<Type> bodyIn(typesOf(carry));
  llvm::append_range(bodyIn, typesOf(tCarry));
  for (Value v : xs)
    bodyIn.push_back(rowType(v.getType()));
  for (Value v : tXs)
    bodyIn.push_back(rowType(v.getType()));
  llvm::append_range(bodyIn, typesOf(consts));
  llvm::append_range(bodyIn, typesOf(tConsts));
  TypeRange calleeOut = callee.getResultTypes();
  SmallVector<Type> requestOut(calleeOut);
  llvm::append_range(requestOut, calleeOut);
  SmallVector<bool> yActive;
  for (Type t : calleeOut.drop_front(nc))
    yActive.push_back(isDifferentiableType(t));
  // Body results: (carry, tCarry, ys, tYs).
  SmallVector<Type> bodyOut(calleeOut.take_front(nc));
  llvm::append_range(bodyOut, typesOf(tCarry));
  llvm::append_range(bodyOut, calleeOut.drop_front(nc));
  for (auto [k, t] : llvm::enumerate(calleeOut.drop_front(nc)))
    if (yActive[k])
      bodyOut.push_back(t);
  unsigned ntc = tCarry.size(), ntx = tXs.size();
  auto wrapper = makeWrapper(
      op, (op.getBody() + "_jvp").str(), bodyIn, bodyOut,
      [&](OpBuilder &fb, ValueRange a) {
        SmallVector<Value> args(a.take_front(nc));                  // carry
        llvm::append_range(args, a.slice(nc + ntc, nx));            // x
        llvm::append_range(args, a.slice(nc + ntc + nx + ntx, nk)); // consts
        llvm::append_range(args, a.slice(nc, ntc));                 // tCarry
        llvm::append_range(args, a.slice(nc + ntc + nx, ntx));      // tX
        llvm::append_range(args, a.drop_front(nc + ntc + nx + ntx + nk));
        auto request = JvpOp::create(fb, loc, requestOut, op.getBodyAttr(),
                                     args, fb.getDenseBoolArrayAttr(active));
        ValueRange r = request.getResults();
        unsigned n = calleeOut.size();
        SmallVector<Value> out(r.take_front(nc));
        for (unsigned i = 0; i < nc; ++i)
          if (isDifferentiableType(calleeOut[i]))
            out.push_back(r[n + i]);
        llvm::append_range(out, r.slice(nc, ny));
        for (unsigned k = 0; k < ny; ++k)
          if (yActive[k])
            out.push_back(r[n + nc + k]);
        return out;
      });
  SmallVector<Type> resultTypes(typesOf(carry));
  llvm::append_range(resultTypes, typesOf(tCarry));
  int64_t length = op.getLength();
  for (Type t : ArrayRef<Type>(bodyOut).drop_front(nc + ntc))
    resultTypes.push_back(withFront(t, length));
  auto scan = ScanOp::create(b, loc, resultTypes, wrapper.getSymName(), inputs,
                             nc + ntc, nk + tConsts.size(), length,
                             op.getReverse(), op.getUnroll());
  // Its carries and ys are op's: mergeRecomputedScans lets it replace op.
  scan->setAttr(kJvpOfAttr,
                b.getArrayAttr({op.getBodyAttr(), b.getI64IntegerAttr(ntc),
                                b.getI64IntegerAttr(ntx),
                                b.getI64IntegerAttr(tConsts.size())}));
  resultTangents.assign(op.getNumResults(), Value());
  unsigned next = nc;
  for (unsigned i = 0; i < nc; ++i)
    if (isDifferentiableType(calleeOut[i]))
      resultTangents[i] = scan.getResult(next++);
  next = nc + ntc + ny;
  for (unsigned k = 0; k < ny; ++k)
    if (yActive[k])
      resultTangents[nc + k] = scan.getResult(next++);
  return success();
}

/// The primal scan `derived` was built from: before it in its block, with
/// `body`, the same length, direction and counts, and the operands that
/// `derived` passes in `carry`, `xs` and `consts`.
static ScanOp findPrimalScan(ScanOp derived, FlatSymbolRefAttr body,
                             ValueRange carry, ValueRange xs,
                             ValueRange consts) {
  if (carry.empty() && xs.empty() && consts.empty())
    return {};
  Value any = !carry.empty() ? carry.front()
              : !xs.empty()  ? xs.front()
                             : consts.front();
  for (Operation *user : any.getUsers()) {
    auto scan = dyn_cast<ScanOp>(user);
    if (!scan || scan == derived || scan.getBodyAttr() != body ||
        scan->getBlock() != derived->getBlock() ||
        !scan->isBeforeInBlock(derived) ||
        scan.getLength() != derived.getLength() ||
        scan.getReverse() != derived.getReverse() ||
        scan.getNumCarry() != (int64_t)carry.size() ||
        scan.getNumConsts() != (int64_t)consts.size())
      continue;
    ValueRange in = scan.getInputs();
    if (in.take_front(carry.size()) == carry &&
        in.slice(carry.size(), xs.size()) == xs &&
        in.take_back(consts.size()) == consts &&
        in.size() == carry.size() + xs.size() + consts.size())
      return scan;
  }
  return {};
}

/// The scans of `func` marked with `attr`, in program order.
static SmallVector<ScanOp> markedScans(func::FuncOp func, StringRef attr) {
  SmallVector<ScanOp> marked;
  func.walk([&](ScanOp scan) {
    if (scan->hasAttr(attr))
      marked.push_back(scan);
  });
  return marked;
}

void mlax::mergeRecomputedScans(func::FuncOp func) {
  // JVP scans: (carry, tCarry) carried, (xs, tXs) scanned, (consts,
  // tConsts); results (carry, tCarry, ys, tYs). They come right after the
  // primal scan (buildJvpFunction emits each rule after its op).
  for (ScanOp jvp : markedScans(func, kJvpOfAttr)) {
    auto info = jvp->getAttrOfType<ArrayAttr>(kJvpOfAttr);
    jvp->removeAttr(kJvpOfAttr);
    auto body = cast<FlatSymbolRefAttr>(info[0]);
    int64_t ntc = cast<IntegerAttr>(info[1]).getInt();
    int64_t ntx = cast<IntegerAttr>(info[2]).getInt();
    int64_t ntk = cast<IntegerAttr>(info[3]).getInt();
    int64_t carried = jvp.getNumCarry(), nc = carried - ntc;
    ValueRange in = jvp.getInputs();
    int64_t nx = (int64_t)jvp.numXs() - ntx;
    int64_t nk = jvp.getNumConsts() - ntk;
    ScanOp primal =
        findPrimalScan(jvp, body, in.take_front(nc), in.slice(carried, nx),
                       in.slice(carried + nx + ntx, nk));
    if (!primal || !llvm::all_of(primal->getUsers(), [&](Operation *user) {
          return user->getBlock() != jvp->getBlock() ||
                 jvp->isBeforeInBlock(user);
        }))
      continue;
    int64_t ny = primal.getNumResults() - nc;
    SmallVector<Value> replacement(jvp.getResults().take_front(nc));
    llvm::append_range(replacement, jvp.getResults().slice(carried, ny));
    primal->replaceAllUsesWith(replacement);
    primal->erase();
  }
  // The VJP's forward scans: the primal's operands; results (carry, ys,
  // stacked carries).
  for (ScanOp saved : markedScans(func, kRecomputesAttr)) {
    auto body = saved->getAttrOfType<FlatSymbolRefAttr>(kRecomputesAttr);
    saved->removeAttr(kRecomputesAttr);
    ValueRange in = saved.getInputs();
    int64_t nc = saved.getNumCarry(), nk = saved.getNumConsts();
    ScanOp primal =
        findPrimalScan(saved, body, in.take_front(nc),
                       in.slice(nc, saved.numXs()), in.take_back(nk));
    if (!primal)
      continue;
    // saved's operands are primal's, so saved may move up to it.
    saved->moveAfter(primal);
    primal->replaceAllUsesWith(
        saved.getResults().take_front(primal->getNumResults()));
    primal->erase();
  }
}

LogicalResult mlax::scanVjp(ScanOp op, ArrayRef<Value> resultCts,
                            SmallVectorImpl<Value> &operandCts, OpBuilder &b,
                            function_ref<bool(Value)> isVaried) {
  Location loc = op.getLoc();
  unsigned nc = op.getNumCarry(), nx = op.numXs(), nk = op.getNumConsts();
  int64_t length = op.getLength();
  ValueRange ins = op.getInputs();
  ValueRange carry = ins.take_front(nc), xs = ins.slice(nc, nx),
             consts = ins.drop_front(nc + nx);
  auto callee =
      SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(op, op.getBodyAttr());
  TypeRange calleeOut = callee.getResultTypes();
  unsigned ny = calleeOut.size() - nc;

  // 1. Forward again, stacking each iteration's input carry as extra ys.
  SmallVector<Type> fwdIn(callee.getArgumentTypes());
  SmallVector<Type> fwdOut(calleeOut);
  llvm::append_range(fwdOut, typesOf(carry));
  auto fwd = makeWrapper(op, (op.getBody() + "_saved").str(), fwdIn, fwdOut,
                         [&](OpBuilder &fb, ValueRange a) {
                           auto call = func::CallOp::create(
                               fb, loc, op.getBody(), calleeOut, a);
                           SmallVector<Value> out(call.getResults());
                           llvm::append_range(out, a.take_front(nc));
                           return out;
                         });
  SmallVector<Type> fwdResults(op.getResultTypes());
  for (Value c : carry)
    fwdResults.push_back(withFront(c.getType(), length));
  auto saved = ScanOp::create(b, loc, fwdResults, fwd.getSymName(), ins, nc, nk,
                              length, op.getReverse(), op.getUnroll());
  // The forward sweep runs `op` itself; mergeRecomputedScans lets this scan
  // (whose first results are op's) stand in for it.
  saved->setAttr(kRecomputesAttr, op.getBodyAttr());
  ValueRange carries = saved.getResults().drop_front(nc + ny);

  // 2. Backward: carry (ct of carry, ct accumulators of consts), xs (saved
  // carries, xs, ct of ys), consts (consts).
  SmallVector<bool> active;
  for (Value v : carry)
    active.push_back(isDifferentiableType(v.getType()));
  for (Value v : xs)
    active.push_back(isDifferentiableType(v.getType()) && isVaried(v));
  for (Value v : consts)
    active.push_back(isDifferentiableType(v.getType()) && isVaried(v));
  SmallVector<Value> ctCarry, ctConstInit, bwdXs;
  for (auto [i, v] : llvm::enumerate(carry))
    if (active[i])
      ctCarry.push_back(resultCts[i] ? resultCts[i]
                                     : zerosOf(b, loc, v.getType()));
  SmallVector<unsigned> activeConsts, activeXs;
  for (auto [i, v] : llvm::enumerate(consts))
    if (active[nc + nx + i]) {
      activeConsts.push_back(i);
      ctConstInit.push_back(zerosOf(b, loc, v.getType()));
    }
  for (unsigned i = 0; i < nx; ++i)
    if (active[nc + i])
      activeXs.push_back(i);
  llvm::append_range(bwdXs, carries);
  llvm::append_range(bwdXs, xs);
  for (unsigned k = 0; k < ny; ++k) {
    Value r = op.getResult(nc + k);
    bwdXs.push_back(resultCts[nc + k] ? resultCts[nc + k]
                                      : zerosOf(b, loc, r.getType()));
  }
  unsigned nct = ctCarry.size(), nka = ctConstInit.size();
  SmallVector<Value> bwdIn(ctCarry);
  llvm::append_range(bwdIn, ctConstInit);
  llvm::append_range(bwdIn, bwdXs);
  llvm::append_range(bwdIn, consts);
  SmallVector<Type> bodyIn(typesOf(ctCarry));
  llvm::append_range(bodyIn, typesOf(ctConstInit));
  for (Value v : bwdXs)
    bodyIn.push_back(rowType(v.getType()));
  llvm::append_range(bodyIn, typesOf(consts));
  SmallVector<Type> activeTypes;
  for (auto [flag, t] : llvm::zip(active, callee.getArgumentTypes()))
    if (flag)
      activeTypes.push_back(t);
  SmallVector<Type> requestOut(calleeOut);
  llvm::append_range(requestOut, activeTypes);
  // Body results: (ct carry in, ct const accumulators, ct x rows).
  SmallVector<Type> bodyOut(typesOf(ctCarry));
  llvm::append_range(bodyOut, typesOf(ctConstInit));
  for (unsigned i : activeXs)
    bodyOut.push_back(rowType(xs[i].getType()));
  auto bwd = makeWrapper(
      op, (op.getBody() + "_vjp").str(), bodyIn, bodyOut,
      [&](OpBuilder &fb, ValueRange a) {
        Emit fe{fb, loc};
        ValueRange ct = a.take_front(nct), acc = a.slice(nct, nka);
        ValueRange savedCarry = a.slice(nct + nka, nc);
        ValueRange x = a.slice(nct + nka + nc, nx);
        ValueRange ctY = a.slice(nct + nka + nc + nx, ny);
        ValueRange k = a.drop_front(nct + nka + nc + nx + ny);
        SmallVector<Value> args(savedCarry);
        llvm::append_range(args, x);
        llvm::append_range(args, k);
        // Cotangents of every result of the body: the carry's (zeros for
        // integer entries), then the ys'.
        unsigned next = 0;
        for (unsigned i = 0; i < nc; ++i)
          args.push_back(active[i] ? ct[next++]
                                   : zerosOf(fb, loc, calleeOut[i]));
        llvm::append_range(args, ctY);
        auto request = VjpOp::create(fb, loc, requestOut, op.getBodyAttr(),
                                     args, fb.getDenseBoolArrayAttr(active));
        ValueRange cts = request.getResults().drop_front(calleeOut.size());
        // cts: active carry, active xs, active consts, in argument order.
        SmallVector<Value> out(cts.take_front(nct));
        ValueRange xCts = cts.slice(nct, activeXs.size());
        ValueRange kCts = cts.drop_front(nct + activeXs.size());
        for (auto [j, kct] : llvm::enumerate(kCts))
          out.push_back(fe.add(acc[j], kct));
        llvm::append_range(out, xCts);
        return out;
      });
  SmallVector<Type> bwdResults(typesOf(ctCarry));
  llvm::append_range(bwdResults, typesOf(ctConstInit));
  for (unsigned i : activeXs)
    bwdResults.push_back(xs[i].getType());
  auto back =
      ScanOp::create(b, loc, bwdResults, bwd.getSymName(), bwdIn, nct + nka, nk,
                     length, !op.getReverse(), op.getUnroll());
  operandCts.assign(op->getNumOperands(), Value());
  unsigned next = 0;
  for (unsigned i = 0; i < nc; ++i)
    if (active[i])
      operandCts[i] = back.getResult(next++);
  for (unsigned j : activeConsts)
    operandCts[nc + nx + j] = back.getResult(next++);
  for (unsigned i : activeXs)
    operandCts[nc + i] = back.getResult(next++);
  return success();
}
