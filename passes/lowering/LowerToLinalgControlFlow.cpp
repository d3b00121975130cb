//===- LowerToLinalgControlFlow.cpp - cond/while/scan -> scf --------------===//
//
// Control flow calls function symbols; the lowering turns each op into the
// scf construct IREE 3.13 accepts on tensors and keeps the calls (the
// callees are lowered by the same pass; IREE and the native path inline
// them):
//   cond  -> a chain of scf.if on the index (branch i when index == i, the
//            last branch otherwise)
//   while -> scf.while: the before region calls @cond and extracts the i1,
//            the after region calls @body
//   scan  -> scf.for over [0, L) carrying (carry..., ys...): row i (or L-1-i)
//            of each xs is extracted, @body called, and its y slices
//            inserted at that row of ys
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlax;

namespace {

SmallVector<Type> convertTypes(const TypeConverter &converter,
                               TypeRange types) {
  SmallVector<Type> out;
  for (Type t : types)
    out.push_back(converter.convertType(t));
  return out;
}

SmallVector<Value> callResults(OpBuilder &b, Location loc, StringRef callee,
                               TypeRange results, ValueRange args) {
  auto call = func::CallOp::create(b, loc, callee, results, args);
  return SmallVector<Value>(call.getResults());
}

struct CondLowering : OpConversionPattern<CondOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CondOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Type> types =
        convertTypes(*getTypeConverter(), op.getResultTypes());
    Value index = tensor::ExtractOp::create(rewriter, loc, adaptor.getIndex(),
                                            ValueRange{});
    ArrayAttr branches = op.getBranches();
    // Branch k of the chain: index == k ? branch k : (the rest).
    std::function<SmallVector<Value>(OpBuilder &, unsigned)> build =
        [&](OpBuilder &b, unsigned k) -> SmallVector<Value> {
      StringRef name = cast<FlatSymbolRefAttr>(branches[k]).getValue();
      if (k + 1 == branches.size())
        return callResults(b, loc, name, types, adaptor.getInputs());
      Value here = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, index,
          arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(k)));
      auto ifOp = scf::IfOp::create(
          b, loc, here,
          [&](OpBuilder &tb, Location) {
            scf::YieldOp::create(
                tb, loc,
                callResults(tb, loc, name, types, adaptor.getInputs()));
          },
          [&](OpBuilder &eb, Location) {
            scf::YieldOp::create(eb, loc, build(eb, k + 1));
          });
      return SmallVector<Value>(ifOp.getResults());
    };
    rewriter.replaceOp(op, build(rewriter, 0));
    return success();
  }
};

struct WhileLowering : OpConversionPattern<WhileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(WhileOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Type> carryTypes =
        convertTypes(*getTypeConverter(), op.getResultTypes());
    ValueRange inputs = adaptor.getInputs();
    unsigned numCarry = carryTypes.size();
    SmallVector<Value> consts(inputs.drop_front(numCarry));
    SmallVector<Location> locs(numCarry, loc);
    auto loop = scf::WhileOp::create(rewriter, loc, carryTypes,
                                     inputs.take_front(numCarry));
    Block *before =
        rewriter.createBlock(&loop.getBefore(), {}, carryTypes, locs);
    {
      SmallVector<Value> args(before->getArguments());
      llvm::append_range(args, consts);
      auto pred = RankedTensorType::get({}, rewriter.getI1Type());
      auto call = func::CallOp::create(rewriter, loc, op.getCond(),
                                       TypeRange{pred}, args);
      Value flag = tensor::ExtractOp::create(rewriter, loc, call.getResult(0),
                                             ValueRange{});
      scf::ConditionOp::create(rewriter, loc, flag, before->getArguments());
    }
    Block *after = rewriter.createBlock(&loop.getAfter(), {}, carryTypes, locs);
    {
      SmallVector<Value> args(after->getArguments());
      llvm::append_range(args, consts);
      auto call =
          func::CallOp::create(rewriter, loc, op.getBody(), carryTypes, args);
      scf::YieldOp::create(rewriter, loc, call.getResults());
    }
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct ScanLowering : OpConversionPattern<ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    const TypeConverter &converter = *getTypeConverter();
    unsigned numCarry = op.getNumCarry(), numXs = op.numXs();
    ValueRange inputs = adaptor.getInputs();
    ValueRange carry = inputs.take_front(numCarry);
    ValueRange xs = inputs.slice(numCarry, numXs);
    ValueRange consts = inputs.drop_front(numCarry + numXs);
    SmallVector<Type> resultTypes =
        convertTypes(converter, op.getResultTypes());
    int64_t length = op.getLength();

    // ys start empty; the loop carries (carry..., ys...).
    SmallVector<Value> init(carry);
    for (Type t : ArrayRef<Type>(resultTypes).drop_front(numCarry)) {
      auto tensor = cast<RankedTensorType>(t);
      init.push_back(tensor::EmptyOp::create(rewriter, loc, tensor.getShape(),
                                             tensor.getElementType()));
    }
    SmallVector<Type> bodyResults;
    for (Type t : ArrayRef<Type>(resultTypes).drop_front(numCarry)) {
      auto tensor = cast<RankedTensorType>(t);
      bodyResults.push_back(RankedTensorType::get(
          tensor.getShape().drop_front(), tensor.getElementType()));
    }
    SmallVector<Type> calleeResults(
        ArrayRef<Type>(resultTypes).take_front(numCarry));
    llvm::append_range(calleeResults, bodyResults);

    auto c = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
    };
    auto loop = scf::ForOp::create(
        rewriter, loc, c(0), c(length), c(1), init,
        [&](OpBuilder &b, Location, Value iv, ValueRange iter) {
          Value row = iv;
          if (op.getReverse())
            row = arith::SubIOp::create(
                b, loc, arith::ConstantIndexOp::create(b, loc, length - 1), iv);
          auto sliceOf = [&](RankedTensorType full) {
            SmallVector<OpFoldResult> offsets(full.getRank(),
                                              b.getIndexAttr(0));
            offsets[0] = row;
            SmallVector<OpFoldResult> sizes,
                strides(full.getRank(), b.getIndexAttr(1));
            sizes.push_back(b.getIndexAttr(1));
            for (int64_t d : full.getShape().drop_front())
              sizes.push_back(b.getIndexAttr(d));
            return std::make_tuple(offsets, sizes, strides);
          };
          SmallVector<Value> args(iter.take_front(numCarry));
          for (Value x : xs) {
            auto full = cast<RankedTensorType>(x.getType());
            auto [offsets, sizes, strides] = sliceOf(full);
            auto sliceType = RankedTensorType::get(full.getShape().drop_front(),
                                                   full.getElementType());
            args.push_back(tensor::ExtractSliceOp::create(
                b, loc, sliceType, x, offsets, sizes, strides));
          }
          llvm::append_range(args, consts);
          auto call =
              func::CallOp::create(b, loc, op.getBody(), calleeResults, args);
          SmallVector<Value> next(call.getResults().take_front(numCarry));
          for (auto [k, y] :
               llvm::enumerate(call.getResults().drop_front(numCarry))) {
            Value ys = iter[numCarry + k];
            auto full = cast<RankedTensorType>(ys.getType());
            auto [offsets, sizes, strides] = sliceOf(full);
            next.push_back(tensor::InsertSliceOp::create(b, loc, y, ys, offsets,
                                                         sizes, strides));
          }
          scf::YieldOp::create(b, loc, next);
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

} // namespace

void mlax::populateControlFlowLoweringPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<CondLowering, WhileLowering, ScanLowering>(
      converter, patterns.getContext());
}
