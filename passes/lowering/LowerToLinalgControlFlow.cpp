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
//   scan  -> scf.for over chunks of K iterations carrying (carry...,
//            ys...), around an scf.for over the chunk's iterations carrying
//            (carry..., chunk rows...): row i (or L-1-i) of each xs is
//            extracted, @body called, its y slices inserted into the chunk
//            and each finished chunk into ys
//
// Why chunks: IREE 3.13 copies a loop-carried tensor whole on every
// iteration (an insert_slice into it is never in place across the back
// edge), so stacking L rows straight into ys moves O(L^2) rows. With
// K = ceil(sqrt(L)) it moves about 2 L sqrt(L): L * K inside chunks, and
// (L / K) * L for ys. ys is padded to a multiple of K rows (forward rows
// first, reverse rows last) and sliced back once. Scans shorter than 32
// use K = 1 (one loop; the inner one folds away).
//
// `unroll = u` marks the loop that runs the iterations (the inner one when
// chunked) with kUnrollAttr; unrollMarkedLoops unrolls it by u after the
// conversion (an epilogue loop takes the remainder). Fewer trips cut
// IREE's per-trip cost (buffer allocation, a command buffer and fences,
// about 15-30 us on the CPU), which dominates small loop bodies. A scan
// left at unroll = 1 that is long (>= 128 steps) with a small body (<= 64
// ops, no nested control flow) is unrolled by 8: a 1000-step RNN cell
// then runs 2.2x faster, for about 20% more compile time.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlax;

namespace {

constexpr StringLiteral kUnrollAttr = "mlax.unroll";

/// Marks `loop` for unrollMarkedLoops (nothing when unroll is 1).
void markUnroll(scf::ForOp loop, int64_t unroll) {
  if (unroll > 1)
    loop->setAttr(kUnrollAttr,
                  IntegerAttr::get(IndexType::get(loop.getContext()), unroll));
}

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

/// Rows [offset, offset + size) of `full` along dimension 0 (size 1 drops
/// the dimension when `dropRow`).
std::tuple<SmallVector<OpFoldResult>, SmallVector<OpFoldResult>,
           SmallVector<OpFoldResult>>
rowsOf(OpBuilder &b, RankedTensorType full, OpFoldResult offset, int64_t size) {
  SmallVector<OpFoldResult> offsets(full.getRank(), b.getIndexAttr(0));
  offsets[0] = offset;
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(size)},
                            strides(full.getRank(), b.getIndexAttr(1));
  for (int64_t d : full.getShape().drop_front())
    sizes.push_back(b.getIndexAttr(d));
  return {offsets, sizes, strides};
}

Value insertRows(OpBuilder &b, Location loc, Value rows, Value into,
                 OpFoldResult offset, int64_t size) {
  auto [offsets, sizes, strides] =
      rowsOf(b, cast<RankedTensorType>(into.getType()), offset, size);
  return tensor::InsertSliceOp::create(b, loc, rows, into, offsets, sizes,
                                       strides);
}

Value extractRows(OpBuilder &b, Location loc, Type type, Value from,
                  OpFoldResult offset, int64_t size) {
  auto [offsets, sizes, strides] =
      rowsOf(b, cast<RankedTensorType>(from.getType()), offset, size);
  return tensor::ExtractSliceOp::create(b, loc, cast<RankedTensorType>(type),
                                        from, offsets, sizes, strides);
}

struct ScanLowering : OpConversionPattern<ScanOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Scans at least this long stack their ys in chunks (see the file
  /// comment).
  static constexpr int64_t kChunkFrom = 32;

  LogicalResult
  matchAndRewrite(ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    unsigned numCarry = op.getNumCarry(), numXs = op.numXs();
    ValueRange inputs = adaptor.getInputs();
    ValueRange carry = inputs.take_front(numCarry);
    ValueRange xs = inputs.slice(numCarry, numXs);
    ValueRange consts = inputs.drop_front(numCarry + numXs);
    SmallVector<Type> resultTypes =
        convertTypes(*getTypeConverter(), op.getResultTypes());
    ArrayRef<Type> ysTypes = ArrayRef<Type>(resultTypes).drop_front(numCarry);
    int64_t length = op.getLength();
    bool reverse = op.getReverse();
    // Only the ys something reads are stacked (a dead stack still costs a
    // loop-carried tensor; two of them over one constant xs made IREE 3.13
    // fail at run time).
    SmallVector<unsigned> live;
    SmallVector<Type> liveTypes;
    for (auto [k, t] : llvm::enumerate(ysTypes))
      if (!op.getResult(numCarry + k).use_empty()) {
        live.push_back(k);
        liveTypes.push_back(t);
      }

    // Chunks of K rows (K about sqrt(length)); the stack is padded to
    // C * K rows, forward rows first, reverse rows last.
    int64_t chunk = 1, chunks = length;
    if (!live.empty() && length >= kChunkFrom) {
      chunk = static_cast<int64_t>(std::ceil(std::sqrt(double(length))));
      chunks = (length + chunk - 1) / chunk;
    }
    int64_t padded = chunk * chunks, pad = padded - length;
    auto withRows = [](Type t, int64_t rows) {
      auto r = cast<RankedTensorType>(t);
      SmallVector<int64_t> shape(r.getShape());
      shape[0] = rows;
      return r.clone(shape);
    };
    SmallVector<Type> calleeResults(
        ArrayRef<Type>(resultTypes).take_front(numCarry));
    for (Type t : ysTypes)
      calleeResults.push_back(cast<RankedTensorType>(t).clone(
          cast<RankedTensorType>(t).getShape().drop_front()));

    auto c = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    // One iteration `i` (0 <= i < length) of the scan: the body on row i
    // (or length-1-i) of xs; returns (carry..., y...).
    auto step = [&](OpBuilder &b, Value i, ValueRange carried) {
      Value row =
          reverse ? arith::SubIOp::create(b, loc, c(b, length - 1), i) : i;
      SmallVector<Value> args(carried);
      for (Value x : xs)
        args.push_back(
            extractRows(b, loc,
                        cast<RankedTensorType>(x.getType())
                            .clone(cast<RankedTensorType>(x.getType())
                                       .getShape()
                                       .drop_front()),
                        x, row, 1));
      llvm::append_range(args, consts);
      return callResults(b, loc, op.getBody(), calleeResults, args);
    };

    // Iteration i with the stacks `rows` (ys, or a chunk): y goes to row
    // `at`; returns (carry..., rows...) for the next iteration.
    auto iterate = [&](OpBuilder &b, Value i, ValueRange carried,
                       ValueRange rows, Value at) {
      SmallVector<Value> out = step(b, i, carried);
      SmallVector<Value> next(ArrayRef<Value>(out).take_front(numCarry));
      for (auto [j, k] : llvm::enumerate(live))
        next.push_back(insertRows(b, loc, out[numCarry + k], rows[j], at, 1));
      return next;
    };

    SmallVector<Value> init(carry);
    for (Type t : liveTypes)
      init.push_back(emptyTensor(rewriter, loc, withRows(t, padded)));
    scf::ForOp outer;
    if (chunk == 1) {
      // One loop carrying (carry..., ys...); y goes to row i (or L-1-i).
      outer = scf::ForOp::create(
          rewriter, loc, c(rewriter, 0), c(rewriter, length), c(rewriter, 1),
          init, [&](OpBuilder &b, Location, Value i, ValueRange iter) {
            Value at = reverse
                           ? arith::SubIOp::create(b, loc, c(b, length - 1), i)
                           : i;
            scf::YieldOp::create(b, loc,
                                 iterate(b, i, iter.take_front(numCarry),
                                         iter.drop_front(numCarry), at));
          });
    } else {
      // A loop over chunks carrying (carry..., padded ys...) around a loop
      // over the chunk's iterations carrying (carry..., chunk rows...).
      outer = scf::ForOp::create(
          rewriter, loc, c(rewriter, 0), c(rewriter, chunks), c(rewriter, 1),
          init, [&](OpBuilder &b, Location, Value ci, ValueRange iter) {
            Value first = arith::MulIOp::create(b, loc, ci, c(b, chunk));
            // min(K, length - first) iterations; K when K divides length.
            Value count =
                pad == 0
                    ? c(b, chunk)
                    : arith::MinSIOp::create(
                          b, loc, c(b, chunk),
                          arith::SubIOp::create(b, loc, c(b, length), first))
                          .getResult();
            SmallVector<Value> innerInit(iter.take_front(numCarry));
            for (Type t : liveTypes)
              innerInit.push_back(emptyTensor(b, loc, withRows(t, chunk)));
            auto inner = scf::ForOp::create(
                b, loc, c(b, 0), count, c(b, 1), innerInit,
                [&](OpBuilder &ib, Location, Value j, ValueRange rows) {
                  Value i = arith::AddIOp::create(ib, loc, first, j);
                  // Reverse chunks fill from their last row down.
                  Value at =
                      reverse
                          ? arith::SubIOp::create(ib, loc, c(ib, chunk - 1), j)
                          : j;
                  scf::YieldOp::create(ib, loc,
                                       iterate(ib, i, rows.take_front(numCarry),
                                               rows.drop_front(numCarry), at));
                });
            markUnroll(inner, op.getUnroll());
            SmallVector<Value> next(inner.getResults().take_front(numCarry));
            Value at =
                reverse
                    ? arith::SubIOp::create(b, loc, c(b, padded - chunk), first)
                    : first;
            for (auto [k, rows] :
                 llvm::enumerate(inner.getResults().drop_front(numCarry)))
              next.push_back(
                  insertRows(b, loc, rows, iter[numCarry + k], at, chunk));
            scf::YieldOp::create(b, loc, next);
          });
    }
    if (chunk == 1)
      markUnroll(outer, op.getUnroll());
    SmallVector<Value> results(outer.getResults().take_front(numCarry));
    ValueRange stacks = outer.getResults().drop_front(numCarry);
    for (auto [k, t] : llvm::enumerate(ysTypes)) {
      auto *j = llvm::find(live, k);
      if (j == live.end()) { // unread: an empty tensor stands in
        results.push_back(
            emptyTensor(rewriter, loc, cast<RankedTensorType>(t)));
        continue;
      }
      Value ys = stacks[j - live.begin()];
      results.push_back(
          pad == 0
              ? ys
              : extractRows(rewriter, loc, t, ys,
                            rewriter.getIndexAttr(reverse ? pad : 0), length));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlax::chooseScanUnroll(Operation *root) {
  constexpr int64_t kAuto = 8, kAutoMinLength = 128, kAutoMaxOps = 64;
  root->walk([&](ScanOp op) {
    if (op.getUnroll() != 1 || op.getLength() < kAutoMinLength)
      return;
    auto body = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, op.getBodyAttr());
    if (!body)
      return;
    int64_t ops = 0;
    bool nested = false;
    body.walk([&](Operation *inner) {
      ++ops;
      nested |= isa<CondOp, WhileOp, ScanOp, func::CallOp>(inner);
    });
    if (!nested && ops <= kAutoMaxOps)
      op.setUnroll(kAuto);
  });
}

void mlax::unrollMarkedLoops(Operation *root) {
  SmallVector<scf::ForOp> marked;
  root->walk([&](scf::ForOp loop) {
    if (loop->hasAttr(kUnrollAttr))
      marked.push_back(loop);
  });
  for (scf::ForOp loop : marked) {
    auto factor = cast<IntegerAttr>(loop->getAttr(kUnrollAttr)).getInt();
    loop->removeAttr(kUnrollAttr);
    // Unrolling only fails on loops it cannot handle (none built here);
    // the loop is then kept rolled, which computes the same values.
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (trips && factor >= trips->getSExtValue())
      (void)loopUnrollFull(loop);
    else
      (void)loopUnrollByFactor(loop, factor);
  }
}

void mlax::populateControlFlowLoweringPatterns(TypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<CondLowering, WhileLowering, ScanLowering>(
      converter, patterns.getContext());
}
