//===- MlaxBoundDispatchOperands.cpp - mlax-bound-dispatch-operands -------===//
//
// Keeps every dispatch IREE forms under its limit of 32 buffer bindings.
// IREE fuses a tree of elementwise linalg.generics into one dispatch that
// binds every tensor the tree reads from outside; IREE 3.13 does not check
// the limit when it fuses and the module then fails to load ("binding count
// 41 > 32": a jit of 40 arrays summed elementwise). Runs on linalg-level IR
// before elementwise fusion, for IREE only.
//
// Algorithm, per block, ops in order:
//   1. The leaves of a value: nothing for constants and tensor.empty (they
//      are inlined, not bound); for a result of an all-parallel
//      linalg.generic of this block, the union of its operands' leaves;
//      otherwise the value itself.
//   2. A generic whose operands' leaves number more than kMaxLeaves (a
//      margin under 32 for outputs and IREE's own bookkeeping) gets an
//      util.optimization_barrier on each operand that brings more than one
//      leaf: the barrier ends IREE's fusion there, and its result is one
//      leaf.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/SetVector.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXBOUNDDISPATCHOPERANDS
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

constexpr size_t kMaxLeaves = 24;

using Leaves = llvm::SmallSetVector<Value, 8>;

bool isElementwise(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumLoops() == generic.getNumParallelLoops();
}

struct MlaxBoundDispatchOperands
    : mlax::impl::MlaxBoundDispatchOperandsBase<MlaxBoundDispatchOperands> {
  void runOnOperation() override {
    getOperation()->walk([&](Block *block) { bound(block); });
  }

  void bound(Block *block) {
    DenseMap<Value, Leaves> leaves;
    auto leavesOf = [&](Value v) -> Leaves {
      Operation *def = v.getDefiningOp();
      if (def &&
          (def->hasTrait<OpTrait::ConstantLike>() || isa<tensor::EmptyOp>(def)))
        return {};
      auto it = leaves.find(v);
      if (it != leaves.end())
        return it->second;
      Leaves one;
      one.insert(v);
      return one;
    };
    for (Operation &op : llvm::make_early_inc_range(*block)) {
      if (!isElementwise(&op))
        continue;
      Leaves all;
      for (Value operand : op.getOperands()) {
        Leaves from = leavesOf(operand);
        all.insert(from.begin(), from.end());
      }
      if (all.size() > kMaxLeaves) {
        OpBuilder b(&op);
        all.clear();
        for (OpOperand &use : op.getOpOperands()) {
          Leaves from = leavesOf(use.get());
          if (from.size() > 1) {
            Value cut =
                mlax::createByName(b, op.getLoc(), "util.optimization_barrier",
                                   {use.get()}, {use.get().getType()}, {})
                    ->getResult(0);
            use.set(cut);
            from = leavesOf(cut);
          }
          all.insert(from.begin(), from.end());
        }
      }
      for (Value result : op.getResults())
        leaves[result] = all;
    }
  }
};

} // namespace
