//===- LowerToLinalgCallbacks.cpp - host_callback -------------------------===//
//
//   host_callback -> `func.call @mlaxcb.cbN(operands)` of a private
//            declaration, which IREE turns into an import of VM module
//            "mlaxcb" that the runtime serves from Python. N numbers the
//            declarations in the order their first call appears, so the
//            compiled text does not depend on the callback ids (the
//            compile caches key on it); the id rides on the declaration
//            as `mlaxcb.callback_id`, which the runtime reads and removes
//            before compiling. Calls of one callback with one signature
//            share a declaration.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlax;

namespace {

constexpr StringLiteral kCallbackId = "mlaxcb.callback_id";

struct HostCallbackLowering : OpConversionPattern<HostCallbackOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(HostCallbackOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> resultTypes;
    if (failed(
            getTypeConverter()->convertTypes(op.getResultTypes(), resultTypes)))
      return failure();
    auto type = FunctionType::get(
        getContext(), ValueRange(adaptor.getInputs()).getTypes(), resultTypes);
    auto module = op->getParentOfType<ModuleOp>();
    func::FuncOp decl;
    int64_t count = 0;
    for (auto f : module.getOps<func::FuncOp>()) {
      auto id = f->getAttrOfType<IntegerAttr>(kCallbackId);
      if (!id)
        continue;
      ++count;
      if (id.getInt() == op.getCallbackId() && f.getFunctionType() == type)
        decl = f;
    }
    if (!decl) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToEnd(module.getBody());
      decl = func::FuncOp::create(rewriter, op.getLoc(),
                                  ("mlaxcb.cb" + Twine(count)).str(), type);
      decl.setPrivate();
      decl->setAttr(kCallbackId,
                    rewriter.getI64IntegerAttr(op.getCallbackId()));
    }
    rewriter.replaceOpWithNewOp<func::CallOp>(op, decl, adaptor.getInputs());
    return success();
  }
};

} // namespace

void mlax::populateCallbackLoweringPatterns(TypeConverter &converter,
                                            RewritePatternSet &patterns) {
  patterns.add<HostCallbackLowering>(converter, patterns.getContext());
}
