//===- MlaxNativeWidenBools.cpp - mlax-native-widen-bools -----------------===//
//
// Algorithm:
//   1. Retype in place: every function's signature and entry block, every
//      op result and every region argument of tensor-of-i1 type becomes
//      tensor-of-i8.
//   2. Repair the ops whose scalars meet those tensors:
//      - constants of i1 become constants of i8 (zero-extended), and
//        linalg.fill of an i1 fills with its zero-extension;
//      - a linalg body argument bound to a (now i8) tensor gets an
//        arith.trunci to i1 at the top of the body; a yielded i1 bound to an
//        i8 output gets an arith.extui;
//      - tensor.pad yields, tensor.insert / from_elements scalars: extui;
//        tensor.extract results: trunci.
//   3. Verify; an op that still mixes i1 and i8 fails with a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "passes/native/NativePasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Verifier.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXNATIVEWIDENBOOLS
#include "passes/native/NativePasses.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

bool isBoolTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getElementType().isInteger(1);
}

Type widen(Type type) {
  if (!isBoolTensor(type))
    return type;
  auto tensor = cast<RankedTensorType>(type);
  return tensor.clone(IntegerType::get(type.getContext(), 8));
}

Value extend(OpBuilder &b, Location loc, Value v) {
  return arith::ExtUIOp::create(b, loc, b.getI8Type(), v);
}

/// Inside a linalg body: i8 arguments bound to widened tensors are
/// truncated on entry; i1 values yielded into i8 outputs are extended.
void repairLinalgBody(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body)
    return;
  OpBuilder b(op.getContext());
  b.setInsertionPointToStart(body);
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<RankedTensorType>(operand.get().getType()))
      continue;
    BlockArgument arg = op.getMatchingBlockArgument(&operand);
    if (!arg || !arg.getType().isInteger(1) ||
        !cast<RankedTensorType>(operand.get().getType())
             .getElementType()
             .isInteger(8))
      continue;
    arg.setType(b.getI8Type());
    Value truncated =
        arith::TruncIOp::create(b, arg.getLoc(), b.getI1Type(), arg);
    arg.replaceAllUsesExcept(truncated, truncated.getDefiningOp());
  }
  Operation *yield = body->getTerminator();
  for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
    if (i >= yield->getNumOperands())
      break;
    Value value = yield->getOperand(i);
    auto initType = cast<ShapedType>(init.get().getType());
    if (value.getType().isInteger(1) &&
        initType.getElementType().isInteger(8)) {
      b.setInsertionPoint(yield);
      yield->setOperand(i, extend(b, yield->getLoc(), value));
    }
  }
}

} // namespace

void mlax::retypeInPlace(ModuleOp module, function_ref<Type(Type)> convert) {
  MLIRContext *ctx = module.getContext();
  module.walk([&](func::FuncOp func) {
    FunctionType type = func.getFunctionType();
    SmallVector<Type> inputs(llvm::map_range(type.getInputs(), convert));
    SmallVector<Type> results(llvm::map_range(type.getResults(), convert));
    func.setFunctionType(FunctionType::get(ctx, inputs, results));
  });
  module.walk([&](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(convert(arg.getType()));
    for (OpResult result : op->getResults())
      result.setType(convert(result.getType()));
  });
}

namespace {

struct MlaxNativeWidenBoolsPass
    : mlax::impl::MlaxNativeWidenBoolsBase<MlaxNativeWidenBoolsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();

    // 1. Retype.
    mlax::retypeInPlace(module, widen);

    // 2. Repair.
    OpBuilder b(ctx);
    module.walk([&](Operation *op) {
      if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
        auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
        if (dense && dense.getElementType().isInteger(1) &&
            isa<RankedTensorType>(constant.getType())) {
          auto i8 = b.getI8Type();
          constant.setValueAttr(
              dense.mapValues(i8, [](const APInt &v) { return v.zext(8); }));
        }
        return;
      }
      if (auto fill = dyn_cast<linalg::FillOp>(op)) {
        Value value = fill.getInputs()[0];
        if (!value.getType().isInteger(1) ||
            !getElementTypeOrSelf(fill.getOutputs()[0].getType()).isInteger(8))
          return;
        b.setInsertionPoint(fill);
        auto wide = linalg::FillOp::create(
            b, fill.getLoc(), ValueRange{extend(b, fill.getLoc(), value)},
            ValueRange{fill.getOutputs()[0]});
        fill->replaceAllUsesWith(wide);
        fill->erase();
        return;
      }
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
        repairLinalgBody(linalgOp);
        return;
      }
      if (auto pad = dyn_cast<tensor::PadOp>(op)) {
        if (!pad.getResultType().getElementType().isInteger(8))
          return;
        auto yield = cast<tensor::YieldOp>(pad.getBody()->getTerminator());
        if (yield.getValue().getType().isInteger(1)) {
          b.setInsertionPoint(yield);
          yield->setOperand(0, extend(b, yield.getLoc(), yield.getValue()));
        }
        return;
      }
      if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
        if (!extract.getTensor().getType().getElementType().isInteger(8) ||
            !extract.getType().isInteger(1))
          return;
        extract.getResult().setType(b.getI8Type());
        b.setInsertionPointAfter(extract);
        Value truncated = arith::TruncIOp::create(b, extract.getLoc(),
                                                  b.getI1Type(), extract);
        extract.getResult().replaceAllUsesExcept(truncated,
                                                 truncated.getDefiningOp());
        return;
      }
      if (isa<tensor::InsertOp, tensor::FromElementsOp>(op)) {
        b.setInsertionPoint(op);
        for (OpOperand &operand : op->getOpOperands())
          if (operand.get().getType().isInteger(1))
            operand.set(extend(b, op->getLoc(), operand.get()));
      }
    });

    // 3. Anything left mixing i1 and i8 is an op this pass does not know.
    if (failed(verify(module)))
      return signalPassFailure();
  }
};

} // namespace
