//===- MlaxBatch.cpp - mlax-batch -----------------------------------------===//
//
// vmap as a rewrite: every op has one batching rule (BatchRules.cpp) that
// takes its operands with their batch dimension (or none) and builds the
// batched op, moving data only when the op needs it.
//
// Algorithm:
//   1. Pick an mlax.batch whose callee reaches no request (innermost first,
//      so nested vmaps batch ordinary IR); repeat until none is left. One
//      whose callee still holds an mlax.vjp / mlax.jvp waits for
//      mlax-autodiff (TransformRequests.h): vmap of grad batches the
//      expanded derivative, where shared values stay unbatched.
//   2. Build @<callee>_batch<N>_<in axes>_to_<out axes> once per callee,
//      size and axes (inserted before its body is built, so a recursive
//      callee's batched version calls itself):
//      a. its arguments are the callee's, with the example dimension
//         inserted at each in-axis (none for -1);
//      b. walk the callee's ops in order, tracking each value's batch
//         dimension: an op with no batched operand is cloned unchanged
//         (shared work stays shared) unless it is a collective over the
//         request's axis_name or reaches one; otherwise its rule builds the
//         batched op. Calls batch their callee (recursively, step 2);
//      c. move each result's batch dimension to its out-axis (broadcast an
//         unbatched result; out-axis -1 requires an unbatched result).
//   3. Replace the request with a func.call of the generated function.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/Passes.h"
#include "passes/TransformRequests.h"
#include "passes/batching/BatchRules.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXBATCH
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

namespace {

std::string axesName(ArrayRef<int64_t> axes) {
  std::string s;
  for (auto [i, a] : llvm::enumerate(axes)) {
    if (i)
      s += "_";
    s += a < 0 ? std::string("n") : std::to_string(a);
  }
  return s;
}

class Batcher {
public:
  explicit Batcher(SymbolTable &symbols) : symbols(symbols) {}

  /// Step 2: @callee batched over `size` examples.
  FailureOr<func::FuncOp> batchFunction(func::FuncOp callee,
                                        ArrayRef<int64_t> inAxes,
                                        ArrayRef<int64_t> outAxes, int64_t size,
                                        StringRef axisName, Location loc) {
    FunctionType calleeType = callee.getFunctionType();
    auto batchedTypes = [&](TypeRange types, ArrayRef<int64_t> axes) {
      SmallVector<Type> out;
      for (auto [t, a] : llvm::zip(types, axes)) {
        auto r = cast<RankedTensorType>(t);
        SmallVector<int64_t> shape(r.getShape());
        if (a >= 0)
          shape.insert(shape.begin() + a, size);
        out.push_back(r.clone(shape));
      }
      return out;
    };
    MLIRContext *ctx = callee.getContext();
    FunctionType type =
        FunctionType::get(ctx, batchedTypes(calleeType.getInputs(), inAxes),
                          batchedTypes(calleeType.getResults(), outAxes));
    std::string name = (callee.getSymName() + "_batch" + Twine(size) + "_" +
                        axesName(inAxes) + "_to_" + axesName(outAxes) +
                        (axisName.empty() ? "" : "_axis_" + axisName))
                           .str();
    if (auto existing = symbols.lookup<func::FuncOp>(name)) {
      auto of = existing->getAttrOfType<FlatSymbolRefAttr>("mlax.batched_from");
      if (of && of.getValue() == callee.getSymName() &&
          existing.getFunctionType() == type)
        return existing;
    }
    if (!callee.getBody().hasOneBlock())
      return callee.emitOpError("mlax-batch: needs a single-block function"),
             failure();

    auto func = func::FuncOp::create(callee.getLoc(), name, type);
    func.setPrivate();
    func->setAttr("mlax.batched_from",
                  FlatSymbolRefAttr::get(callee.getSymNameAttr()));
    symbols.insert(func, Block::iterator(callee->getNextNode()));
    Block *entry = func.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockEnd(entry);
    BatchContext context{b, size, axisName,
                         [&](func::FuncOp f, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> out,
                             Location at) -> FailureOr<func::FuncOp> {
                           return batchFunction(f, in, out, size, axisName, at);
                         }};

    // a, b: map each value to its batched form.
    DenseMap<Value, Batched> batched;
    for (auto [arg, newArg, axis] :
         llvm::zip(callee.getArguments(), entry->getArguments(), inAxes))
      batched[arg] = {newArg, axis};
    auto fail = [&] {
      symbols.erase(func);
      return failure();
    };
    for (Operation &op : callee.getBody().front()) {
      if (auto ret = dyn_cast<func::ReturnOp>(op)) {
        // c. results at their out-axes.
        SmallVector<Value> results;
        for (auto [i, v, axis] : llvm::enumerate(ret.getOperands(), outAxes)) {
          Batched r = batched.lookup(v);
          if (axis < 0) {
            if (r.isBatched()) {
              emitError(loc)
                  << "mlax-batch: out_axes[" << i
                  << "] is -1 (not batched) but result " << i << " of '"
                  << callee.getSymName() << "' depends on a batched argument";
              return fail();
            }
            results.push_back(r.value);
          } else {
            results.push_back(context.materialize(r, axis, ret.getLoc()));
          }
        }
        func::ReturnOp::create(b, ret.getLoc(), results);
        return func;
      }
      if (op.getNumRegions() != 0) {
        op.emitOpError("mlax-batch: ops with regions are not supported yet");
        return fail();
      }
      SmallVector<Batched> operands;
      bool any = false;
      for (Value v : op.getOperands()) {
        operands.push_back(batched.lookup(v));
        any |= operands.back().isBatched();
      }
      if (!any && !usesAxis(&op, axisName)) {
        IRMapping mapping;
        for (auto [v, x] : llvm::zip(op.getOperands(), operands))
          mapping.map(v, x.value);
        Operation *clone = b.clone(op, mapping);
        for (auto [r, c] : llvm::zip(op.getResults(), clone->getResults()))
          batched[r] = {c, -1};
        continue;
      }
      SmallVector<Batched> results;
      if (failed(batchOp(&op, operands, results, context)))
        return fail();
      for (auto [r, x] : llvm::zip(op.getResults(), results))
        batched[r] = x;
    }
    callee.emitOpError("mlax-batch: function without return");
    return fail();
  }

private:
  SymbolTable &symbols;
};

struct MlaxBatch : public mlax::impl::MlaxBatchBase<MlaxBatch> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    Batcher batcher(symbols);
    while (true) {
      BatchOp request;
      module.walk([&](BatchOp op) {
        auto callee = symbols.lookup<func::FuncOp>(op.getCallee());
        if (callee && !reaches(callee, symbols, isTransformRequest)) {
          request = op;
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (!request) {
        // Requests left over wait for mlax-autodiff, or name a missing
        // callee or form a cycle.
        WalkResult leftover = module.walk([&](BatchOp op) {
          auto callee = symbols.lookup<func::FuncOp>(op.getCallee());
          if (callee && reaches(callee, symbols, [](Operation *o) {
                return isa<VjpOp, JvpOp>(o);
              }))
            return WalkResult::advance();
          op.emitOpError("cannot be expanded: its callee is missing or "
                         "(indirectly) requests its own batching");
          return WalkResult::interrupt();
        });
        if (leftover.wasInterrupted())
          signalPassFailure();
        return;
      }
      auto callee = symbols.lookup<func::FuncOp>(request.getCallee());
      auto generated = batcher.batchFunction(
          callee, request.getInAxes(), request.getOutAxes(),
          static_cast<int64_t>(request.getAxisSize()),
          request.getAxisName().value_or(""), request.getLoc());
      if (failed(generated))
        return signalPassFailure();
      OpBuilder b(request);
      auto call = func::CallOp::create(b, request.getLoc(), *generated,
                                       request.getInputs());
      request->replaceAllUsesWith(call.getResults());
      request->erase();
    }
  }
};

} // namespace
