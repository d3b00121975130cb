//===- MlaxAutodiff.cpp - mlax-autodiff -----------------------------------===//
//
// Reverse mode by direct adjoint generation (as Enzyme does), not JAX's
// linearize-then-transpose: every op has one VJP rule (VjpRules.cpp) and one
// JVP rule (JvpRules.cpp); unary elementwise ops share their local
// derivative (ElementwiseDerivatives.cpp).
//
// Algorithm:
//   1. Pick an mlax.vjp or mlax.jvp whose callee reaches no request
//      (innermost first, so grad(grad(f)) differentiates ordinary IR);
//      repeat until none is left. Requests whose callee still holds an
//      mlax.batch wait for mlax-batch (TransformRequests.h).
//   2. jvp: build @<callee>_jvp_<active>: clone the callee's body (calls
//      inlined), then, in program order, apply each op's JVP rule to the
//      tangents of its operands (symbolic zeros stay null), emitting the
//      rule's ops right after the op; return the results and their tangents
//      (zeros where none flowed). A JVP scan, which computes its primal
//      scan's results too, then replaces it.
//   3. vjp: build @<callee>_vjp_<active> once per callee and activity mask:
//      a. forward sweep: clone the callee's body, inlining func.calls, so
//         every primal value stays available (the primal is saved, not
//         recomputed);
//      b. seed each differentiable result with its cotangent argument;
//      c. walk the cloned ops backwards; for each op whose results carry a
//         cotangent, apply its rule and add the operand cotangents into the
//         adjoint map (fan-out accumulates; symbolic zeros stay null;
//         integer and boolean values are inactive);
//      d. return the primal results, then the cotangent of each active
//         argument (a zero constant where none flowed);
//      e. a scan that the reverse sweep ran again to stack its carries
//         replaces its primal copy (the forward loop runs once).
//   4. Replace the request with a func.call of the generated function.
//
// Checkpointing: a call to a function marked `mlax.remat` is not inlined in
// the forward sweep; its rules (VjpRules.cpp, JvpRules.cpp) emit a new
// request for the callee, so the reverse sweep recomputes the callee's
// body instead of keeping its intermediates. The loop of step 1 expands it.
//
// Custom rules: calls to functions marked `mlax.custom_jvp = @rule` or
// `mlax.custom_vjp_fwd = @fwd, mlax.custom_vjp_bwd = @bwd` also stay calls;
// their rules call the user's rule functions instead (see the func::CallOp
// cases of the rule tables).
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/Passes.h"
#include "passes/TransformRequests.h"
#include "passes/autodiff/ControlFlowDerivatives.h"
#include "passes/autodiff/VjpRules.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/ScopeExit.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXAUTODIFF
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

namespace {

constexpr llvm::StringLiteral kRematAttr = "mlax.remat";
constexpr llvm::StringLiteral kCustomJvpAttr = "mlax.custom_jvp";
constexpr llvm::StringLiteral kCustomFwdAttr = "mlax.custom_vjp_fwd";

bool isRequest(Operation *op) { return isa<VjpOp, JvpOp>(op); }

/// A generated function is reused only if it is ours (marked with the
/// callee it differentiates) and has the expected type; otherwise a new one
/// is inserted and the symbol table makes its name unique.
func::FuncOp reusableFunction(SymbolTable &symbols, StringRef name,
                              func::FuncOp callee, FunctionType type) {
  auto existing = symbols.lookup<func::FuncOp>(name);
  if (!existing || existing.getFunctionType() != type)
    return {};
  auto of = existing->getAttrOfType<FlatSymbolRefAttr>("mlax.derivative_of");
  return of && of.getValue() == callee.getSymName() ? existing : func::FuncOp();
}

/// Clones `callee`'s body at `b`, mapping its arguments to `args`; calls are
/// inlined recursively. Appends the cloned ops to `cloned`; returns the
/// values the body returns, or failure.
FailureOr<SmallVector<Value>>
cloneInlined(func::FuncOp callee, ValueRange args, OpBuilder &b,
             SymbolTable &symbols, SmallVectorImpl<Operation *> &cloned,
             SmallVectorImpl<Operation *> &active) {
  if (llvm::is_contained(active, callee.getOperation()))
    return callee.emitOpError(
               "mlax-autodiff: recursive calls are not supported"),
           failure();
  active.push_back(callee);
  auto popped = llvm::make_scope_exit([&] { active.pop_back(); });
  if (!callee.getBody().hasOneBlock())
    return callee.emitOpError("mlax-autodiff: needs a single-block function"),
           failure();
  IRMapping mapping;
  mapping.map(callee.getArguments(), args);
  for (Operation &op : callee.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      SmallVector<Value> results;
      for (Value v : ret.getOperands())
        results.push_back(mapping.lookup(v));
      return results;
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      // The func.call verifier guarantees the callee.
      auto target = symbols.lookup<func::FuncOp>(call.getCallee());
      // A checkpointed (remat) function stays a call: its derivative rule
      // requests the callee's own derivative, which recomputes its body.
      if (target->hasAttr(kRematAttr) || target->hasAttr(kCustomJvpAttr) ||
          target->hasAttr(kCustomFwdAttr)) {
        cloned.push_back(b.clone(op, mapping));
        continue;
      }
      SmallVector<Value> callArgs;
      for (Value v : call.getOperands())
        callArgs.push_back(mapping.lookup(v));
      auto results = cloneInlined(target, callArgs, b, symbols, cloned, active);
      if (failed(results))
        return failure();
      mapping.map(call.getResults(), *results);
      continue;
    }
    if (op.getNumRegions() != 0)
      return op.emitOpError(
                 "mlax-autodiff: ops with regions are not supported yet"),
             failure();
    cloned.push_back(b.clone(op, mapping));
  }
  return callee.emitOpError("mlax-autodiff: function without return"),
         failure();
}

Value zeros(OpBuilder &b, Location loc, Type type) {
  return Emit{b, loc}.zeros(cast<RankedTensorType>(type));
}

/// Custom rules differentiate only their function's declared arguments; the
/// values it closes over are its trailing `mlax.custom_closure_args`
/// operands. Fails, with JAX's diagnosis, if one of those carries a
/// derivative (`carries`).
LogicalResult checkClosedOverValues(Operation *op, SymbolTable &symbols,
                                    function_ref<bool(Value)> carries) {
  auto call = dyn_cast<func::CallOp>(op);
  if (!call)
    return success();
  auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
  auto closure =
      callee ? callee->getAttrOfType<IntegerAttr>("mlax.custom_closure_args")
             : IntegerAttr();
  if (!closure)
    return success();
  unsigned c = closure.getInt(), n = call.getNumOperands();
  for (unsigned i = n - std::min(c, n); i < n; ++i)
    if (carries(call.getOperand(i)))
      return call.emitOpError(
          "differentiation of a custom rule function with respect to a "
          "value it closes over is not supported: pass that value as an "
          "argument");
  return success();
}

/// The types of the arguments flagged active.
SmallVector<Type> activeTypes(ArrayRef<bool> active, TypeRange types) {
  SmallVector<Type> out;
  for (auto [flag, t] : llvm::zip(active, types))
    if (flag)
      out.push_back(t);
  return out;
}

/// A generated function under construction: its entry block holds the
/// callee's arguments then the `extra` arguments (cotangents or tangents),
/// and the callee's body is already cloned (the forward sweep).
struct GeneratedFunction {
  func::FuncOp func;
  ValueRange args, extra;
  SmallVector<Value> results;
  SmallVector<Operation *> cloned;
  bool reused = false;
};

/// Creates (or finds, to reuse) @<callee>_<kind>_<active> of type
/// (callee inputs, extraInputs) -> (callee results, extraOutputs), with
/// the insertion point of `b` at the end of its body.
FailureOr<GeneratedFunction>
startGeneratedFunction(func::FuncOp callee, StringRef kind,
                       ArrayRef<bool> active, ArrayRef<Type> extraInputs,
                       ArrayRef<Type> extraOutputs, SymbolTable &symbols,
                       OpBuilder &b) {
  std::string name = (callee.getSymName() + "_" + kind + "_").str();
  for (bool a : active)
    name += a ? '1' : '0';
  FunctionType calleeType = callee.getFunctionType();
  SmallVector<Type> inputs(calleeType.getInputs());
  llvm::append_range(inputs, extraInputs);
  SmallVector<Type> outputs(calleeType.getResults());
  llvm::append_range(outputs, extraOutputs);
  FunctionType type = b.getFunctionType(inputs, outputs);
  GeneratedFunction g;
  if (auto existing = reusableFunction(symbols, name, callee, type)) {
    g.func = existing;
    g.reused = true;
    return g;
  }
  g.func = func::FuncOp::create(callee.getLoc(), name, type);
  g.func.setPrivate();
  g.func->setAttr("mlax.derivative_of",
                  FlatSymbolRefAttr::get(callee.getSymNameAttr()));
  symbols.insert(g.func, Block::iterator(callee->getNextNode()));
  Block *entry = g.func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  unsigned numArgs = calleeType.getNumInputs();
  g.args = entry->getArguments().take_front(numArgs);
  g.extra = entry->getArguments().drop_front(numArgs);
  SmallVector<Operation *> inlining;
  auto results = cloneInlined(callee, g.args, b, symbols, g.cloned, inlining);
  if (failed(results)) {
    g.func.erase();
    return failure();
  }
  g.results = std::move(*results);
  return g;
}

/// Step 3: the reverse-mode function for `callee` with activity `active`.
FailureOr<func::FuncOp> buildVjpFunction(func::FuncOp callee,
                                         ArrayRef<bool> active,
                                         SymbolTable &symbols) {
  FunctionType calleeType = callee.getFunctionType();
  SmallVector<Type> activeInputs = activeTypes(active, calleeType.getInputs());
  OpBuilder b(callee.getContext());
  Location loc = callee.getLoc();
  auto started = startGeneratedFunction(
      callee, "vjp", active, calleeType.getResults(), activeInputs, symbols, b);
  if (failed(started))
    return failure();
  if (started->reused)
    return started->func;
  func::FuncOp func = started->func;
  ValueRange args = started->args, resultCts = started->extra;
  SmallVector<Value> *results = &started->results;
  SmallVector<Operation *> &cloned = started->cloned;

  // Values that depend on an active argument (for the custom-rule check).
  DenseSet<Value> varied;
  for (auto [flag, arg] : llvm::zip(active, args))
    if (flag && isDifferentiableType(arg.getType()))
      varied.insert(arg);
  for (Operation *op : cloned) {
    if (failed(checkClosedOverValues(
            op, symbols, [&](Value v) { return varied.contains(v); }))) {
      func.erase();
      return failure();
    }
    // Ops with a zero derivative stop the dependence, as their JVPs do.
    if (op->hasTrait<trait::ZeroDerivative>() ||
        llvm::none_of(op->getOperands(),
                      [&](Value v) { return varied.contains(v); }))
      continue;
    for (Value r : op->getResults())
      if (isDifferentiableType(r.getType()))
        varied.insert(r);
  }

  // b. seed; c. reverse sweep
  DenseMap<Value, Value> adjoint;
  auto accumulate = [&](Value primal, Value ct) {
    if (!ct || !isDifferentiableType(primal.getType()))
      return;
    Value &slot = adjoint[primal];
    slot = slot ? (Value)AddOp::create(b, loc, slot.getType(), slot, ct) : ct;
  };
  for (auto [result, ct] : llvm::zip(*results, resultCts))
    accumulate(result, ct);
  for (Operation *op : llvm::reverse(cloned)) {
    SmallVector<Value> cts;
    bool any = false;
    for (Value r : op->getResults()) {
      cts.push_back(adjoint.lookup(r));
      any |= (bool)cts.back();
    }
    if (!any)
      continue;
    // A symbolic zero among several results becomes a real zero for the rule.
    for (auto [i, ct] : llvm::enumerate(cts))
      if (!ct)
        ct = zeros(b, op->getLoc(), op->getResult(i).getType());
    SmallVector<Value> operandCts;
    if (failed(buildVjp(op, cts, operandCts, b,
                        [&](Value v) { return varied.contains(v); }))) {
      func.erase();
      return failure();
    }
    for (auto [operand, ct] : llvm::zip(op->getOperands(), operandCts))
      accumulate(operand, ct);
  }

  // d. results
  SmallVector<Value> returned(*results);
  for (auto [flag, arg] : llvm::zip(active, args)) {
    if (!flag)
      continue;
    Value ct = adjoint.lookup(arg);
    returned.push_back(ct ? ct : zeros(b, loc, arg.getType()));
  }
  func::ReturnOp::create(b, loc, returned);
  mergeRecomputedScans(func);
  return func;
}

/// Step 2: the forward-mode function for `callee` with activity `active`.
FailureOr<func::FuncOp> buildJvpFunction(func::FuncOp callee,
                                         ArrayRef<bool> active,
                                         SymbolTable &symbols) {
  FunctionType calleeType = callee.getFunctionType();
  SmallVector<Type> activeInputs = activeTypes(active, calleeType.getInputs());
  OpBuilder b(callee.getContext());
  Location loc = callee.getLoc();
  auto started = startGeneratedFunction(callee, "jvp", active, activeInputs,
                                        calleeType.getResults(), symbols, b);
  if (failed(started))
    return failure();
  if (started->reused)
    return started->func;
  func::FuncOp func = started->func;
  ValueRange args = started->args, argTangents = started->extra;
  SmallVector<Value> *results = &started->results;
  SmallVector<Operation *> &cloned = started->cloned;
  DenseMap<Value, Value> tangent;
  auto it = argTangents.begin();
  for (auto [flag, arg] : llvm::zip(active, args))
    if (flag) {
      Value tan = *it++;
      if (isDifferentiableType(arg.getType()))
        tangent[arg] = tan;
    }
  for (Operation *op : cloned) {
    SmallVector<Value> operandTangents;
    bool any = false;
    for (Value v : op->getOperands()) {
      operandTangents.push_back(tangent.lookup(v));
      any |= (bool)operandTangents.back();
    }
    if (!any)
      continue;
    if (failed(checkClosedOverValues(
            op, symbols, [&](Value v) { return (bool)tangent.lookup(v); }))) {
      func.erase();
      return failure();
    }
    SmallVector<Value> resultTangents;
    // Each rule right after its op: a rule's result may then replace the
    // op (mergeRecomputedScans).
    b.setInsertionPointAfter(op);
    if (failed(buildJvp(op, operandTangents, resultTangents, b))) {
      func.erase();
      return failure();
    }
    for (auto [r, tan] : llvm::zip(op->getResults(), resultTangents))
      if (tan)
        tangent[r] = tan;
  }
  b.setInsertionPointToEnd(&func.getBody().front());
  SmallVector<Value> returned(*results);
  for (Value r : *results) {
    Value tan = tangent.lookup(r);
    returned.push_back(tan ? tan : zeros(b, loc, r.getType()));
  }
  func::ReturnOp::create(b, loc, returned);
  mergeRecomputedScans(func);
  return func;
}

struct MlaxAutodiff : public mlax::impl::MlaxAutodiffBase<MlaxAutodiff> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    while (true) {
      // Rebuilt each round: rules of ops that call functions (shard_map,
      // control flow) add wrapper functions through their own tables.
      SymbolTable symbols(module);
      Operation *request = nullptr;
      module.walk([&](Operation *op) {
        if (!isRequest(op))
          return WalkResult::advance();
        auto callee = symbols.lookup<func::FuncOp>(
            op->getAttrOfType<FlatSymbolRefAttr>("callee").getValue());
        if (callee && !reaches(callee, symbols, isTransformRequest)) {
          request = op;
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (!request) {
        // Requests left over wait for mlax-batch, or name a missing callee
        // or form a cycle.
        WalkResult leftover = module.walk([&](Operation *op) {
          if (!isRequest(op))
            return WalkResult::advance();
          auto callee = symbols.lookup<func::FuncOp>(
              op->getAttrOfType<FlatSymbolRefAttr>("callee").getValue());
          if (callee && reaches(callee, symbols,
                                [](Operation *o) { return isa<BatchOp>(o); }))
            return WalkResult::advance();
          op->emitOpError("cannot be expanded: its callee is missing or "
                          "(indirectly) requests its own derivative");
          return WalkResult::interrupt();
        });
        if (leftover.wasInterrupted())
          signalPassFailure();
        return;
      }
      auto callee = symbols.lookup<func::FuncOp>(
          request->getAttrOfType<FlatSymbolRefAttr>("callee").getValue());
      ArrayRef<bool> active =
          request->getAttrOfType<DenseBoolArrayAttr>("active").asArrayRef();
      auto generated = isa<VjpOp>(request)
                           ? buildVjpFunction(callee, active, symbols)
                           : buildJvpFunction(callee, active, symbols);
      if (failed(generated))
        return signalPassFailure();
      OpBuilder b(request);
      auto call = func::CallOp::create(b, request->getLoc(), *generated,
                                       request->getOperands());
      request->replaceAllUsesWith(call.getResults());
      request->erase();
    }
  }
};

} // namespace
