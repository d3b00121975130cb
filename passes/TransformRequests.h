//===- TransformRequests.h - what mlax-autodiff and mlax-batch share -*- C++
//-*-===//
//
// Both passes expand requests (mlax.vjp / mlax.jvp, mlax.batch) innermost
// first: a request is ready when its callee reaches no request of either
// kind, through calls, request callees or the rule functions a callee
// names (mlax.custom_jvp = @rule, ...), which both passes transform too. A
// request blocked only by the other pass's requests is left for that pass (the
// pipeline alternates them: mlax-autodiff, mlax-batch, ... until none is left).
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_TRANSFORMREQUESTS_H
#define MLAX_PASSES_TRANSFORMREQUESTS_H

#include "dialects/mlax/MlaxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlax {

/// A private function `(args) -> results` in `op`'s module whose body is
/// `build(builder, arguments)`; returns it (named after `base`, made
/// unique). Rules of ops that call functions (shard_map, control flow)
/// rebuild the op over such wrappers holding requests on the callees.
inline mlir::func::FuncOp
makeWrapper(mlir::Operation *op, llvm::StringRef base, mlir::TypeRange args,
            mlir::TypeRange results,
            llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::OpBuilder &,
                                                              mlir::ValueRange)>
                build) {
  auto module = op->getParentOfType<mlir::ModuleOp>();
  // Built detached: the symbol table renames it on insertion when `base`
  // is taken (a second wrapper of the same name would otherwise break it).
  mlir::OpBuilder mb(op->getContext());
  auto type = mlir::FunctionType::get(op->getContext(), args, results);
  auto func = mlir::func::FuncOp::create(mb, op->getLoc(), base, type);
  func.setPrivate();
  mlir::SymbolTable(module).insert(func, module.getBody()->end());
  mlir::Block *entry = func.addEntryBlock();
  mlir::OpBuilder fb = mlir::OpBuilder::atBlockEnd(entry);
  mlir::func::ReturnOp::create(fb, op->getLoc(),
                               build(fb, entry->getArguments()));
  return func;
}

inline bool isTransformRequest(mlir::Operation *op) {
  return mlir::isa<VjpOp, JvpOp, BatchOp>(op);
}

/// Whether `func`, or a function it reaches through func.call, request
/// callees or the rule functions named by its attributes, holds an op
/// satisfying `pred`.
inline bool reaches(mlir::func::FuncOp func, mlir::SymbolTable &symbols,
                    llvm::function_ref<bool(mlir::Operation *)> pred,
                    llvm::SmallPtrSetImpl<mlir::Operation *> &visited) {
  if (!visited.insert(func).second)
    return false;
  for (mlir::NamedAttribute attr : func->getAttrs())
    if (auto rule = mlir::dyn_cast<mlir::FlatSymbolRefAttr>(attr.getValue()))
      if (auto target = symbols.lookup<mlir::func::FuncOp>(rule.getValue()))
        if (reaches(target, symbols, pred, visited))
          return true;
  return func
      .walk([&](mlir::Operation *op) {
        if (pred(op))
          return mlir::WalkResult::interrupt();
        if (auto callee = op->getAttrOfType<mlir::FlatSymbolRefAttr>("callee"))
          if (auto target =
                  symbols.lookup<mlir::func::FuncOp>(callee.getValue()))
            if (reaches(target, symbols, pred, visited))
              return mlir::WalkResult::interrupt();
        return mlir::WalkResult::advance();
      })
      .wasInterrupted();
}

inline bool reaches(mlir::func::FuncOp func, mlir::SymbolTable &symbols,
                    llvm::function_ref<bool(mlir::Operation *)> pred) {
  llvm::SmallPtrSet<mlir::Operation *, 8> visited;
  return reaches(func, symbols, pred, visited);
}

} // namespace mlax

#endif // MLAX_PASSES_TRANSFORMREQUESTS_H
