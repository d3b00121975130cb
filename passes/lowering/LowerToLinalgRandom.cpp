//===- LowerToLinalgRandom.cpp - mlax.threefry2x32 -> linalg -----------===//
//
// threefry2x32 becomes one two-result linalg.generic whose body is the 20
// rounds of Threefry-2x32 on i32 (add, rotate, xor: wrap-around arithmetic,
// bit-exact on every IREE backend), with JAX's key schedule:
//   ks = [k0, k1, k0 ^ k1 ^ 0x1BD11BDA];  x = [hi + ks0, lo + ks1]
//   5 times: 4 rounds with rotations R[i % 2], then inject
//            x0 += ks[(i+1) % 3], x1 += ks[(i+2) % 3] + (i + 1)
//   a round: x0 += x1; x1 = rotl(x1, r) ^ x0
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"
#include "passes/lowering/LowerToLinalgPatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlax;

namespace {

/// The Threefry-2x32 rounds on signless i32 scalars: (k0, k1, hi, lo) ->
/// (bits0, bits1).
std::pair<Value, Value> threefryRounds(OpBuilder &b, Location loc, Value k0,
                                       Value k1, Value hi, Value lo) {
  Type i32 = b.getI32Type();
  auto c = [&](uint32_t v) {
    return arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, v))
        .getResult();
  };
  auto add = [&](Value x, Value y) {
    return arith::AddIOp::create(b, loc, x, y).getResult();
  };
  auto rotl = [&](Value x, uint32_t r) {
    Value left = arith::ShLIOp::create(b, loc, x, c(r));
    Value right = arith::ShRUIOp::create(b, loc, x, c(32 - r));
    return arith::OrIOp::create(b, loc, left, right).getResult();
  };
  const uint32_t rotations[2][4] = {{13, 15, 26, 6}, {17, 29, 16, 24}};
  Value ks[3] = {k0, k1,
                 arith::XOrIOp::create(b, loc,
                                       arith::XOrIOp::create(b, loc, k0, k1),
                                       c(0x1BD11BDA))};
  Value x0 = add(hi, ks[0]);
  Value x1 = add(lo, ks[1]);
  for (uint32_t i = 0; i < 5; ++i) {
    for (uint32_t r : rotations[i % 2]) {
      x0 = add(x0, x1);
      x1 = arith::XOrIOp::create(b, loc, rotl(x1, r), x0);
    }
    x0 = add(x0, ks[(i + 1) % 3]);
    x1 = add(add(x1, ks[(i + 2) % 3]), c(i + 1));
  }
  return {x0, x1};
}

struct Threefry2x32Lowering : OpConversionPattern<Threefry2x32Op> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Threefry2x32Op op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(
        getTypeConverter()->convertType(op.getBits0().getType()));
    int64_t rank = type.getRank();
    Value init0 = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    Value init1 = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          type.getElementType());
    SmallVector<AffineMap> maps(6, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type, type}, adaptor.getOperands(),
        ValueRange{init0, init1}, maps, iterators,
        [&](OpBuilder &b, Location at, ValueRange args) {
          auto [bits0, bits1] =
              threefryRounds(b, at, args[0], args[1], args[2], args[3]);
          linalg::YieldOp::create(b, at, ValueRange{bits0, bits1});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlax::populateRandomLoweringPatterns(TypeConverter &converter,
                                          RewritePatternSet &patterns) {
  patterns.add<Threefry2x32Lowering>(converter, patterns.getContext());
}
