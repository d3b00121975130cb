//===- MlaxHostScalars.cpp - mlax-host-scalars ----------------------------===//
//
// Keeps a loop's scalar bookkeeping (counters, bounds, 0-d carries, the
// condition) on the host. IREE runs the tensor ops of an scf loop as device
// dispatches and reads the condition back each iteration, so a scalar
// fori_loop cost microseconds per trip; IREE's VM runs arith/math on
// scalars directly, tens of nanoseconds per trip. Runs on linalg-level IR
// (after mlax-lower-to-linalg, before convert-scf-to-cf), for IREE only.
//
// Algorithm, per scf.for / scf.while, innermost first:
//   1. Candidates: the rank-0 tensor carries whose element type the VM
//      computes with (f32, f64, i1, i8, i16, i32, i64). An scf.while whose
//      condition does not forward its arguments unchanged is left alone.
//   2. Host values: constants, from_elements, fills of a scalar, rank-0
//      values defined outside the loop, candidate carries, and rank-0
//      linalg.generics whose body is arith/math the VM runs (isHostOp)
//      applied to host values.
//      Drop every candidate whose yielded value is not a host value; repeat
//      until nothing changes.
//   3. Retype each remaining carry to its element type in place: extract
//      the init before the loop, rebuild a tensor (from_elements; a fill
//      for i1) at each region entry and after the loop, extract each
//      yielded value.
//   4. Replace every host generic in the loop by its body on scalars
//      (tensor.extract of the operands, from_elements or fill of the
//      results; operands from outside the loop are extracted before it).
//   The canonicalizer then folds the extract(from_elements/fill) pairs.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringSet.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXHOSTSCALARS
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;

namespace {

bool isHostElementType(Type t) {
  return t.isF32() || t.isF64() || t.isInteger(1) || t.isInteger(8) ||
         t.isInteger(16) || t.isInteger(32) || t.isInteger(64);
}

bool isHostTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && tensor.getRank() == 0 &&
         isHostElementType(tensor.getElementType());
}

/// The scalar ops IREE 3.13's VM compiles on the host, each checked inside
/// an scf.while (math.tan/trunc/copysign, arith.maxnumf/minnumf, f32<->f64
/// and f64<->integer conversions fail there).
bool isHostOp(Operation *op) {
  static const llvm::StringSet<> names = {
      "arith.constant", "arith.addf",   "arith.subf",       "arith.mulf",
      "arith.divf",     "arith.remf",   "arith.negf",       "arith.maximumf",
      "arith.minimumf", "arith.cmpf",   "arith.select",     "arith.addi",
      "arith.subi",     "arith.muli",   "arith.divsi",      "arith.divui",
      "arith.remsi",    "arith.remui",  "arith.floordivsi", "arith.ceildivsi",
      "arith.andi",     "arith.ori",    "arith.xori",       "arith.shli",
      "arith.shrsi",    "arith.shrui",  "arith.maxsi",      "arith.minsi",
      "arith.maxui",    "arith.minui",  "arith.cmpi",       "arith.extsi",
      "arith.extui",    "arith.trunci", "arith.bitcast",    "arith.sitofp",
      "arith.uitofp",   "arith.fptosi", "arith.fptoui",     "math.absf",
      "math.ceil",      "math.floor",   "math.exp",         "math.exp2",
      "math.expm1",     "math.log",     "math.log1p",       "math.log2",
      "math.log10",     "math.tanh",    "math.sqrt",        "math.rsqrt",
      "math.sin",       "math.cos",     "math.atan",        "math.atan2",
      "math.erf",       "math.round",   "math.roundeven",   "math.powf",
      "linalg.yield"};
  if (!names.contains(op->getName().getStringRef()))
    return false;
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!isHostElementType(t))
      return false;
  // Only f32 converts to and from integers on the host.
  if (isa<arith::SIToFPOp, arith::UIToFPOp>(op))
    return op->getResult(0).getType().isF32();
  if (isa<arith::FPToSIOp, arith::FPToUIOp>(op))
    return op->getOperand(0).getType().isF32();
  return true;
}

/// A rank-0 linalg.generic whose body the host can run.
bool isHostGeneric(linalg::GenericOp g) {
  if (g.getNumLoops() != 0)
    return false;
  for (Type t : llvm::concat<Type>(g->getOperandTypes(), g->getResultTypes()))
    if (!isHostTensor(t))
      return false;
  for (Operation &op : g.getBody()->getOperations())
    if (!isHostOp(&op) || op.getNumRegions())
      return false;
  return true;
}

struct Loop {
  Operation *op;
  // Per carry: the init operand, the region block arguments, the yielded
  // operand and the loop result.
  SmallVector<OpOperand *> inits, yields;
  SmallVector<SmallVector<BlockArgument, 2>> args;
  SmallVector<Value> results;
  Operation *condition = nullptr; // scf.while's scf.condition

  static std::optional<Loop> of(Operation *op) {
    Loop l{op};
    if (auto f = dyn_cast<scf::ForOp>(op)) {
      auto yield = cast<scf::YieldOp>(f.getBody()->getTerminator());
      for (unsigned k = 0; k < f.getNumRegionIterArgs(); ++k) {
        l.inits.push_back(&f.getInitArgsMutable()[k]);
        l.args.push_back({f.getRegionIterArgs()[k]});
        l.yields.push_back(&yield->getOpOperand(k));
        l.results.push_back(f.getResult(k));
      }
      return l;
    }
    auto w = cast<scf::WhileOp>(op);
    scf::ConditionOp cond = w.getConditionOp();
    Block *before = w.getBeforeBody(), *after = w.getAfterBody();
    if (cond.getArgs().size() != before->getNumArguments() ||
        after->getNumArguments() != before->getNumArguments())
      return std::nullopt;
    for (auto [v, a] : llvm::zip(cond.getArgs(), before->getArguments()))
      if (v != a)
        return std::nullopt;
    l.condition = cond;
    for (unsigned k = 0; k < before->getNumArguments(); ++k) {
      l.inits.push_back(&w->getOpOperand(k));
      l.args.push_back({before->getArgument(k), after->getArgument(k)});
      l.yields.push_back(&w.getYieldOp()->getOpOperand(k));
      l.results.push_back(w.getResult(k));
    }
    return l;
  }
};

struct HostAnalysis {
  Loop &loop;
  llvm::SmallDenseSet<unsigned> host; // carry positions kept on the host
  DenseMap<Value, bool> memo;

  bool inLoop(Value v) {
    return loop.op->isProperAncestor(v.getParentRegion()->getParentOp()) ||
           v.getParentRegion()->getParentOp() == loop.op;
  }

  bool isHost(Value v) {
    if (!isHostTensor(v.getType()))
      return false;
    if (!inLoop(v))
      return true;
    auto it = memo.find(v);
    if (it != memo.end())
      return it->second;
    memo[v] = false; // cycles are not host values
    bool result = false;
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      for (auto [k, args] : llvm::enumerate(loop.args))
        if (llvm::is_contained(args, arg))
          result = host.contains(k);
    } else if (Operation *def = v.getDefiningOp()) {
      if (isa<arith::ConstantOp, tensor::FromElementsOp>(def)) {
        result = true;
      } else if (auto fill = dyn_cast<linalg::FillOp>(def)) {
        result = !isa<ShapedType>(fill.value().getType());
      } else if (auto g = dyn_cast<linalg::GenericOp>(def)) {
        result = isHostGeneric(g);
        for (OpOperand &operand : g->getOpOperands())
          if (result && g.payloadUsesValueFromOperand(&operand))
            result = isHost(operand.get());
      }
    }
    return memo[v] = result;
  }

  void run() {
    for (auto [k, init] : llvm::enumerate(loop.inits))
      if (isHostTensor(init->get().getType()))
        host.insert(k);
    for (bool changed = true; changed;) {
      changed = false;
      memo.clear();
      for (unsigned k = 0; k < loop.yields.size(); ++k)
        if (host.contains(k) && !isHost(loop.yields[k]->get())) {
          host.erase(k);
          changed = true;
          break;
        }
    }
    memo.clear();
  }
};

Value extract(OpBuilder &b, Location loc, Value tensor) {
  return tensor::ExtractOp::create(b, loc, tensor, ValueRange{});
}

/// The 0-d tensor holding `scalar`. Booleans go through linalg.fill: IREE
/// 3.13 stores i1 tensors as i8 inside dispatches and then rejects a
/// from_elements (or splat) of an i1.
Value fromElements(OpBuilder &b, Location loc, Type type, Value scalar) {
  if (!scalar.getType().isInteger(1))
    return tensor::FromElementsOp::create(b, loc, type, scalar);
  Value empty =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, scalar.getType());
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

/// Step 3: carry `k` of `loop` becomes a scalar.
void retypeCarry(Loop &loop, unsigned k) {
  Location loc = loop.op->getLoc();
  Type tensorType = loop.results[k].getType();
  Type scalar = cast<RankedTensorType>(tensorType).getElementType();
  OpBuilder b(loop.op);
  loop.inits[k]->set(extract(b, loc, loop.inits[k]->get()));
  for (BlockArgument arg : loop.args[k]) {
    arg.setType(scalar);
    b.setInsertionPointToStart(arg.getOwner());
    Value t = fromElements(b, loc, tensorType, arg);
    arg.replaceUsesWithIf(t, [&](OpOperand &use) {
      return use.getOwner() != t.getDefiningOp() &&
             use.getOwner() != loop.condition;
    });
  }
  Operation *yield = loop.yields[k]->getOwner();
  b.setInsertionPoint(yield);
  loop.yields[k]->set(extract(b, loc, loop.yields[k]->get()));
  Value result = loop.results[k];
  result.setType(scalar);
  b.setInsertionPointAfter(loop.op);
  Value t = fromElements(b, loc, tensorType, result);
  result.replaceAllUsesExcept(t, t.getDefiningOp());
}

/// Step 4: a host generic becomes its body on scalars.
void scalarize(linalg::GenericOp g, Operation *loopOp) {
  Location loc = g.getLoc();
  OpBuilder b(g);
  IRMapping map;
  for (OpOperand &operand : g->getOpOperands()) {
    if (!g.payloadUsesValueFromOperand(&operand))
      continue;
    Value v = operand.get();
    bool outside = !loopOp->isAncestor(v.getParentRegion()->getParentOp());
    OpBuilder at = outside ? OpBuilder(loopOp) : b;
    map.map(g.getMatchingBlockArgument(&operand), extract(at, loc, v));
  }
  for (Operation &op : g.getBody()->without_terminator())
    b.clone(op, map);
  SmallVector<Value> results;
  auto yield = cast<linalg::YieldOp>(g.getBody()->getTerminator());
  for (auto [v, r] : llvm::zip(yield.getValues(), g.getResults()))
    results.push_back(
        fromElements(b, loc, r.getType(), map.lookupOrDefault(v)));
  g->replaceAllUsesWith(results);
  g->erase();
}

struct MlaxHostScalars
    : public mlax::impl::MlaxHostScalarsBase<MlaxHostScalars> {
  void runOnOperation() override {
    SmallVector<Operation *> loops;
    getOperation()->walk([&](Operation *op) { // post-order: inner first
      if (isa<scf::ForOp, scf::WhileOp>(op))
        loops.push_back(op);
    });
    for (Operation *op : loops) {
      std::optional<Loop> loop = Loop::of(op);
      if (!loop)
        continue;
      HostAnalysis analysis{*loop};
      analysis.run();
      SmallVector<linalg::GenericOp> generics;
      op->walk([&](linalg::GenericOp g) {
        if (g.getNumResults() == 1 && analysis.isHost(g.getResult(0)))
          generics.push_back(g);
      });
      for (unsigned k = 0; k < loop->inits.size(); ++k)
        if (analysis.host.contains(k))
          retypeCarry(*loop, k);
      for (linalg::GenericOp g : generics)
        scalarize(g, op);
    }
  }
};

} // namespace
