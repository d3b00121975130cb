//===- LowerToLinalgSort.cpp - sort and top_k -----------------------------===//
//
//   sort  -> a bottom-up merge sort, one linalg.generic per pass, in pure
//            linalg/tensor/arith (so every path and target takes it):
//            1. pass L = 1, 2, 4, ... < n merges neighbouring sorted runs
//               A = [s, s+L), B = [s+L, s+2L) along the sorted dimension;
//            2. each output position q of the merged segment finds how
//               many of its first q elements come from A by a binary search
//               unrolled ceil(log2(L+1)) times ("merge path": the largest
//               i with A[i-1] not after B[q-i]); ties go to A (stable);
//            3. it then reads its element from A[i] or B[q-i], and every
//               operand moves by that same source position.
//            O(n log^2 n) work, every element independent, no scatter.
//            IREE's iree_linalg_ext.sort is an O(n^2) exchange sort on the
//            CPU (32,000 f32: 1.1 s), so it is not used.
//   top_k -> on the IREE path, IREE's iree_linalg_ext.topk over keys that
//            order as XLA's TopK (floats as total-order integers, widened
//            so that the initial value is below every key), then the
//            values gathered at the indices; elsewhere (and for 64-bit
//            integers) a descending merge sort of (key, iota), sliced.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/MlaxEmit.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/DialectConversion.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlax;

namespace {

/// Whether key `a` goes strictly before key `c` (scalars, one per key).
using KeyOrder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange, ValueRange)>;

Value idx(OpBuilder &b, Location l, int64_t v) {
  return arith::ConstantIndexOp::create(b, l, v);
}

/// `a < c` in JAX's sort order for one key of mlax element type `t`.
Value jaxLess(OpBuilder &b, Location l, Value a, Value c, Type t) {
  if (isa<FloatType>(t)) {
    // NaN after everything; -0.0 == 0.0 falls out of the float compare.
    Value lt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a, c);
    Value cNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, c, c);
    Value aNum = arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, a, a);
    return arith::OrIOp::create(b, l, lt,
                                arith::AndIOp::create(b, l, cNan, aNum));
  }
  bool isUnsigned = t.isUnsignedInteger() || t.isInteger(1);
  return arith::CmpIOp::create(
      b, l, isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt,
      a, c);
}

/// `a == c` in the same order (every NaN equal to every NaN).
Value jaxEqual(OpBuilder &b, Location l, Value a, Value c, Type t) {
  if (isa<FloatType>(t)) {
    Value eq = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a, c);
    Value aNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a, a);
    Value cNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, c, c);
    return arith::OrIOp::create(b, l, eq,
                                arith::AndIOp::create(b, l, aNan, cNan));
  }
  return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a, c);
}

/// Sorts `values` (same shape) along `dim` by the order `before` of their
/// first `numKeys` (stable), as described at the top of the file.
SmallVector<Value> mergeSort(OpBuilder &b, Location loc, ValueRange values,
                             int64_t dim, int64_t numKeys, KeyOrder before) {
  SmallVector<Value> current(values);
  auto type = cast<RankedTensorType>(values[0].getType());
  int64_t n = type.getDimSize(dim), rank = type.getRank();
  if (type.getNumElements() == 0)
    return current;
  SmallVector<Type> types;
  SmallVector<Value> inits;
  for (Value v : values) {
    types.push_back(v.getType());
    inits.push_back(emptyTensor(b, loc, cast<RankedTensorType>(v.getType())));
  }
  SmallVector<AffineMap> maps(values.size(), b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  for (int64_t run = 1; run < n; run *= 2) {
    int64_t steps = llvm::Log2_64_Ceil(run + 1);
    auto generic = linalg::GenericOp::create(
        b, loc, types, ValueRange{}, inits, maps, iterators,
        [&](OpBuilder &g, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(g, l, d));
          auto add = [&](Value x, Value y) {
            return arith::AddIOp::create(g, l, x, y).getResult();
          };
          auto sub = [&](Value x, Value y) {
            return arith::SubIOp::create(g, l, x, y).getResult();
          };
          auto min = [&](Value x, Value y) {
            return arith::MinSIOp::create(g, l, x, y).getResult();
          };
          auto max = [&](Value x, Value y) {
            return arith::MaxSIOp::create(g, l, x, y).getResult();
          };
          auto lt = [&](Value x, Value y) {
            return arith::CmpIOp::create(g, l, arith::CmpIPredicate::slt, x, y)
                .getResult();
          };
          auto select = [&](Value c, Value x, Value y) {
            return arith::SelectOp::create(g, l, c, x, y).getResult();
          };
          auto keysAt = [&](Value pos) {
            SmallVector<Value> where(at);
            where[dim] = pos;
            SmallVector<Value> keys;
            for (int64_t k = 0; k < numKeys; ++k)
              keys.push_back(
                  tensor::ExtractOp::create(g, l, current[k], where));
            return keys;
          };
          Value zero = idx(g, l, 0), one = idx(g, l, 1);
          Value p = at[dim];
          Value s = arith::MulIOp::create(
              g, l,
              arith::DivUIOp::create(g, l, p, idx(g, l, 2 * run)).getResult(),
              idx(g, l, 2 * run));
          Value q = sub(p, s);
          Value left = sub(idx(g, l, n), s);
          Value la = min(idx(g, l, run), left);
          Value lb = max(min(sub(left, idx(g, l, run)), idx(g, l, run)), zero);
          Value bStart = add(s, la);
          // B[j] clamped into the run (only read where j < lb matters).
          Value lastB = max(sub(lb, one), zero);
          auto bAt = [&](Value j) {
            return keysAt(add(bStart, min(j, lastB)));
          };
          auto aAt = [&](Value i) {
            return keysAt(add(s, min(i, sub(la, one))));
          };
          // A[i-1] is not after B[q-i] (or one of them does not exist).
          auto aFirst = [&](Value i) {
            Value j = sub(q, i);
            Value bGone =
                arith::CmpIOp::create(g, l, arith::CmpIPredicate::sge, j, lb);
            Value bBefore = before(g, l, bAt(j), aAt(sub(i, one)));
            return arith::OrIOp::create(
                       g, l, bGone,
                       arith::XOrIOp::create(
                           g, l, bBefore,
                           arith::ConstantIntOp::create(g, l, 1, 1)))
                .getResult();
          };
          Value lo = max(zero, sub(q, lb)), hi = min(q, la);
          for (int64_t step = 0; step < steps; ++step) {
            Value active = lt(lo, hi);
            Value mid = arith::DivUIOp::create(g, l, add(add(lo, hi), one),
                                               idx(g, l, 2));
            // mid >= 1 whenever active; clamp so the reads stay in range.
            Value ok = aFirst(max(mid, one));
            Value up = arith::AndIOp::create(g, l, active, ok);
            Value down = arith::AndIOp::create(
                g, l, active,
                arith::XOrIOp::create(
                    g, l, ok, arith::ConstantIntOp::create(g, l, 1, 1)));
            lo = select(up, mid, lo);
            hi = select(down, sub(mid, one), hi);
          }
          Value i = lo, j = sub(q, i);
          Value aLeft = lt(i, la);
          Value bGone =
              arith::CmpIOp::create(g, l, arith::CmpIPredicate::sge, j, lb);
          Value bBefore = before(g, l, bAt(j), aAt(i));
          Value takeA = arith::AndIOp::create(
              g, l, aLeft,
              arith::OrIOp::create(
                  g, l, bGone,
                  arith::XOrIOp::create(
                      g, l, bBefore,
                      arith::ConstantIntOp::create(g, l, 1, 1))));
          Value src = select(takeA, add(s, min(i, sub(la, one))),
                             add(bStart, min(j, lastB)));
          SmallVector<Value> where(at);
          where[dim] = src;
          SmallVector<Value> out;
          for (Value v : current)
            out.push_back(tensor::ExtractOp::create(g, l, v, where));
          linalg::YieldOp::create(g, l, out);
        });
    current.assign(generic.getResults().begin(), generic.getResults().end());
  }
  return current;
}

struct SortLowering : OpConversionPattern<SortOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SortOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> keyTypes;
    for (Value v : op.getInputs().take_front(op.getNumKeys()))
      keyTypes.push_back(cast<RankedTensorType>(v.getType()).getElementType());
    // Lexicographic: key 0 decides unless equal, then key 1, ...
    auto before = [&](OpBuilder &b, Location l, ValueRange a, ValueRange c) {
      int64_t last = keyTypes.size() - 1;
      Value result = jaxLess(b, l, a[last], c[last], keyTypes[last]);
      for (int64_t k = last - 1; k >= 0; --k)
        result = arith::OrIOp::create(
            b, l, jaxLess(b, l, a[k], c[k], keyTypes[k]),
            arith::AndIOp::create(b, l, jaxEqual(b, l, a[k], c[k], keyTypes[k]),
                                  result));
      return result;
    };
    rewriter.replaceOp(op,
                       mergeSort(rewriter, op.getLoc(), adaptor.getInputs(),
                                 op.getDimension(), op.getNumKeys(), before));
    return success();
  }
};

/// An integer key that orders as XLA's TopK orders `v` (mlax element type
/// `t`): floats by their total-order bits (-NaN < -inf < ... < -0.0 < 0.0
/// < ... < inf < NaN), widened to `keyType`; integers extended.
Value topKKey(OpBuilder &b, Location l, Value v, Type t, Type keyType) {
  auto fromInt = [&](Value x, bool isUnsigned) -> Value {
    unsigned w = x.getType().getIntOrFloatBitWidth();
    if (w == keyType.getIntOrFloatBitWidth())
      return x;
    if (isUnsigned)
      return arith::ExtUIOp::create(b, l, keyType, x);
    return arith::ExtSIOp::create(b, l, keyType, x);
  };
  auto ft = dyn_cast<FloatType>(t);
  if (!ft)
    return fromInt(v, t.isUnsignedInteger() || t.isInteger(1));
  unsigned w = ft.getWidth();
  Type bitsType = b.getIntegerType(w);
  Value bits = arith::BitcastOp::create(b, l, bitsType, v);
  // Negative floats: flip the magnitude bits so larger magnitudes sort lower.
  Value sign = arith::ShRSIOp::create(
      b, l, bits, arith::ConstantIntOp::create(b, l, bitsType, w - 1));
  Value mask = arith::AndIOp::create(
      b, l, sign,
      arith::ConstantOp::create(
          b, l, IntegerAttr::get(bitsType, APInt::getSignedMaxValue(w))));
  return fromInt(arith::XOrIOp::create(b, l, bits, mask), false);
}

struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = op.getOperand().getType();
    Type element = type.getElementType();
    unsigned width = element.getIntOrFloatBitWidth();
    bool isUnsigned = element.isUnsignedInteger();
    int64_t rank = type.getRank(), k = op.getK();
    auto valuesType = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getValues().getType()));
    auto indicesType = op.getIndices().getType();
    Value x = adaptor.getOperand();
    if (k == 0 || type.getNumElements() == 0) {
      rewriter.replaceOp(op, {emptyTensor(rewriter, loc, valuesType),
                              emptyTensor(rewriter, loc, indicesType)});
      return success();
    }
    // Keys: room below the smallest for IREE's initial value.
    bool viaIree = op->getContext()->allowsUnregisteredDialects() && width < 64;
    Type keyType = viaIree ? rewriter.getIntegerType(width <= 16 ? 32 : 64)
                           : rewriter.getIntegerType(std::max(width, 8u));
    if (!viaIree && isa<FloatType>(element))
      keyType = rewriter.getIntegerType(width);
    auto keysType = type.clone(keyType);
    Value keys =
        buildElementwise(rewriter, loc, keysType, ValueRange{x},
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return topKKey(b, l, args[0], element, keyType);
                         });
    SmallVector<int64_t> outShape(type.getShape());
    outShape.back() = k;
    Value indices;
    if (viaIree) {
      auto outKeysType = RankedTensorType::get(outShape, keyType);
      Value lowest = arith::ConstantOp::create(
          rewriter, loc,
          IntegerAttr::get(keyType, APInt::getSignedMinValue(
                                        keyType.getIntOrFloatBitWidth())));
      Value outKeys =
          linalg::FillOp::create(rewriter, loc, lowest,
                                 emptyTensor(rewriter, loc, outKeysType))
              .getResult(0);
      Value outIndices =
          linalg::FillOp::create(
              rewriter, loc,
              arith::ConstantIntOp::create(rewriter, loc, 0, 32).getResult(),
              emptyTensor(rewriter, loc, indicesType))
              .getResult(0);
      // A barrier keeps the key computation out of topk's dispatch (fused,
      // IREE 3.13 puts a whole tile of keys on the stack: over its limit).
      Value barrier = createByName(rewriter, loc, "util.optimization_barrier",
                                   {keys}, {keys.getType()}, {})
                          ->getResult(0);
      // Without an indices input IREE numbers the positions itself.
      OperationState state(loc, "iree_linalg_ext.topk");
      state.addOperands({barrier, outKeys, outIndices});
      state.addTypes({outKeysType, indicesType});
      state.addAttribute("dimension", rewriter.getI64IntegerAttr(rank - 1));
      state.addAttribute("operandSegmentSizes",
                         rewriter.getDenseI32ArrayAttr({1, 2}));
      Region *region = state.addRegion();
      Block *block = new Block();
      region->push_back(block);
      block->addArguments({keyType, keyType}, {loc, loc});
      {
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPointToStart(block);
        Value gt =
            arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sgt,
                                  block->getArgument(0), block->getArgument(1));
        createByName(rewriter, loc, "iree_linalg_ext.yield", {gt}, {}, {});
      }
      indices = rewriter.create(state)->getResult(1);
    } else {
      bool unsignedKeys = isUnsigned && !isa<FloatType>(element);
      auto before = [&](OpBuilder &b, Location l, ValueRange a, ValueRange c) {
        return arith::CmpIOp::create(b, l,
                                     unsignedKeys ? arith::CmpIPredicate::ugt
                                                  : arith::CmpIPredicate::sgt,
                                     a[0], c[0])
            .getResult();
      };
      Value iota = buildElementwise(
          rewriter, loc, type.clone(rewriter.getI32Type()), ValueRange{},
          [&](OpBuilder &b, Location l, ValueRange) {
            return arith::IndexCastOp::create(
                       b, l, b.getI32Type(),
                       linalg::IndexOp::create(b, l, rank - 1))
                .getResult();
          });
      SmallVector<Value> sorted =
          mergeSort(rewriter, loc, {keys, iota}, rank - 1, 1, before);
      SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0)),
          ones(rank, rewriter.getIndexAttr(1)),
          sizes = getAsIndexOpFoldResult(rewriter.getContext(), outShape);
      indices = tensor::ExtractSliceOp::create(rewriter, loc, indicesType,
                                               sorted[1], zeros, sizes, ones);
    }
    // The values: the operand read at the chosen positions.
    Value values = buildElementwise(
        rewriter, loc, valuesType, ValueRange{indices},
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d + 1 < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          at.push_back(
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]));
          return tensor::ExtractOp::create(b, l, x, at).getResult();
        });
    rewriter.replaceOp(op, {values, indices});
    return success();
  }
};

} // namespace

void mlax::populateSortLoweringPatterns(TypeConverter &converter,
                                        RewritePatternSet &patterns) {
  patterns.add<SortLowering, TopKLowering>(converter, patterns.getContext());
}
