//===- MlaxControlFlowOps.cpp - cond, while, scan -------------------------===//
//
// Constraint labels (C1, C2, ...) match docs/ops.md.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlax;

namespace {

FailureOr<FunctionType> calleeType(Operation *op, Attribute name,
                                   SymbolTableCollection &symbols,
                                   StringRef what) {
  auto ref = cast<FlatSymbolRefAttr>(name);
  auto callee = symbols.lookupNearestSymbolFrom<func::FuncOp>(op, ref);
  if (!callee) {
    op->emitOpError("(C1) ")
        << what << " '" << ref.getValue() << "' does not name a func.func";
    return failure();
  }
  return callee.getFunctionType();
}

bool same(TypeRange a, TypeRange b) { return llvm::equal(a, b); }

std::string typeList(TypeRange types) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << "(";
  llvm::interleaveComma(types, os);
  os << ")";
  return out;
}

} // namespace

LogicalResult CondOp::verifySymbolUses(SymbolTableCollection &symbols) {
  if (getBranches().empty())
    return emitOpError("(C2) needs at least one branch");
  if (cast<RankedTensorType>(getIndex().getType()).getRank() != 0)
    return emitOpError("(C4) index must be a 0-d tensor, got ")
           << getIndex().getType();
  for (auto [i, name] : llvm::enumerate(getBranches())) {
    FailureOr<FunctionType> type =
        calleeType(*this, name, symbols, "branch " + std::to_string(i));
    if (failed(type))
      return failure();
    if (!same(type->getInputs(), getInputs().getTypes()) ||
        !same(type->getResults(), getResultTypes()))
      return emitOpError("(C3) branch ")
             << i << " has type " << *type << ", expected "
             << typeList(getInputs().getTypes()) << " -> "
             << typeList(getResultTypes());
  }
  return success();
}

LogicalResult WhileOp::verifySymbolUses(SymbolTableCollection &symbols) {
  int64_t numInputs = getInputs().size();
  if (getNumConsts() < 0 || getNumConsts() > numInputs)
    return emitOpError("(C2) num_consts = ")
           << getNumConsts() << " with " << numInputs << " operands";
  TypeRange carry = TypeRange(getInputs().getTypes()).drop_back(getNumConsts());
  if (!same(getResultTypes(), carry))
    return emitOpError("(C3) results must be the carry ")
           << typeList(carry) << ", got " << typeList(getResultTypes());
  FailureOr<FunctionType> cond =
      calleeType(*this, getCondAttr(), symbols, "cond");
  if (failed(cond))
    return failure();
  auto pred = RankedTensorType::get({}, IntegerType::get(getContext(), 1));
  if (!same(cond->getInputs(), getInputs().getTypes()) ||
      !same(cond->getResults(), TypeRange(pred)))
    return emitOpError("(C4) cond has type ")
           << *cond << ", expected " << typeList(getInputs().getTypes())
           << " -> tensor<i1>";
  FailureOr<FunctionType> body =
      calleeType(*this, getBodyAttr(), symbols, "body");
  if (failed(body))
    return failure();
  if (!same(body->getInputs(), getInputs().getTypes()) ||
      !same(body->getResults(), carry))
    return emitOpError("(C5) body has type ")
           << *body << ", expected " << typeList(getInputs().getTypes())
           << " -> " << typeList(carry);
  return success();
}

LogicalResult ScanOp::verifySymbolUses(SymbolTableCollection &symbols) {
  int64_t numInputs = getInputs().size();
  if (getNumCarry() < 0 || getNumConsts() < 0 ||
      getNumCarry() + getNumConsts() > numInputs || getLength() < 0)
    return emitOpError("(C2) num_carry = ")
           << getNumCarry() << ", num_consts = " << getNumConsts()
           << " and length = " << getLength() << " with " << numInputs
           << " operands";
  if (getUnroll() < 1)
    return emitOpError("(C6) unroll = ") << getUnroll() << " must be >= 1";
  TypeRange all = TypeRange(getInputs().getTypes());
  TypeRange carry = all.take_front(getNumCarry());
  TypeRange xs = all.drop_front(getNumCarry()).drop_back(getNumConsts());
  TypeRange consts = all.take_back(getNumConsts());
  SmallVector<Type> bodyIn(carry);
  for (auto [i, t] : llvm::enumerate(xs)) {
    auto tensor = cast<RankedTensorType>(t);
    if (tensor.getRank() == 0 || tensor.getDimSize(0) != getLength())
      return emitOpError("(C3) xs operand ")
             << i << " has type " << t << ": its leading dimension must be "
             << "the length " << getLength();
    bodyIn.push_back(RankedTensorType::get(tensor.getShape().drop_front(),
                                           tensor.getElementType()));
  }
  llvm::append_range(bodyIn, consts);
  FailureOr<FunctionType> body =
      calleeType(*this, getBodyAttr(), symbols, "body");
  if (failed(body))
    return failure();
  if (!same(body->getInputs(), bodyIn) ||
      body->getNumResults() < carry.size() ||
      !same(body->getResults().take_front(carry.size()), carry))
    return emitOpError("(C4) body has type ")
           << *body << ", expected " << typeList(bodyIn) << " -> "
           << typeList(carry) << " followed by the y slices";
  SmallVector<Type> expected(carry);
  for (Type y : body->getResults().drop_front(carry.size())) {
    auto tensor = cast<RankedTensorType>(y);
    SmallVector<int64_t> shape{getLength()};
    llvm::append_range(shape, tensor.getShape());
    expected.push_back(RankedTensorType::get(shape, tensor.getElementType()));
  }
  if (!same(getResultTypes(), expected))
    return emitOpError("(C5) results must be ")
           << typeList(expected) << ", got " << typeList(getResultTypes());
  return success();
}
