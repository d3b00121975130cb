//===- MlaxKeepWhileCarries.cpp - mlax-keep-while-carries -----------------===//
//
// Keeps every carried value of an scf.while read by its body. A body that
// ignores a carried value (a convergence loop's `previous`, replaced each
// step) is legal, but IREE 3.13 rotates such a loop into an scf.if around a
// do-while whose before region then drops that argument, and its stream
// conversion rejects the result ("region branch point has 4 operands, but
// region successor needs 2 inputs"). Runs last on the IREE path.
//
// Algorithm, for each scf.while:
//   1. Find the after-region block arguments with no uses.
//   2. If any, build `%keep = util.optimization_barrier %false` at the top
//      of the after region (IREE cannot fold through the barrier).
//   3. For each such argument k, the yield's k-th operand y becomes
//      `arith.select %keep, %argk, y`: always y, but a read of %argk.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXKEEPWHILECARRIES
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

struct MlaxKeepWhileCarries
    : mlax::impl::MlaxKeepWhileCarriesBase<MlaxKeepWhileCarries> {
  void runOnOperation() override {
    if (!getContext().allowsUnregisteredDialects()) {
      getOperation()->emitError(
          "mlax-keep-while-carries builds IREE's util.optimization_barrier "
          "and needs unregistered dialects allowed "
          "(mlax-opt --allow-unregistered-dialect)");
      return signalPassFailure();
    }
    getOperation()->walk([](scf::WhileOp loop) { keepCarries(loop); });
  }

  static void keepCarries(scf::WhileOp loop) {
    Block &after = loop.getAfter().front();
    auto yield = cast<scf::YieldOp>(after.getTerminator());
    SmallVector<unsigned> unread;
    for (BlockArgument arg : after.getArguments())
      if (arg.use_empty() && arg.getArgNumber() < yield.getNumOperands() &&
          arg.getType() == yield.getOperand(arg.getArgNumber()).getType())
        unread.push_back(arg.getArgNumber());
    if (unread.empty())
      return;
    OpBuilder b = OpBuilder::atBlockBegin(&after);
    Location loc = loop.getLoc();
    Value no = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
    Value keep = mlax::createByName(b, loc, "util.optimization_barrier", {no},
                                    {no.getType()}, {})
                     ->getResult(0);
    b.setInsertionPoint(yield);
    for (unsigned k : unread) {
      Value kept = arith::SelectOp::create(b, loc, keep, after.getArgument(k),
                                           yield.getOperand(k));
      yield.setOperand(k, kept);
    }
  }
};

} // namespace
