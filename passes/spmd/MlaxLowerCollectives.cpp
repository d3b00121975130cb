//===- MlaxLowerCollectives.cpp - mlax-lower-collectives ------------------===//
//
// Lowers the collectives of a partitioned (per-device) module to what runs
// on IREE's CPU devices, whose own collectives are unimplemented: each
// collective becomes a call of a host-served import, and axis_index reads
// the device's mesh coordinates from a module global.
//
// Algorithm:
//   1. Read the mesh from the module (mlax.mesh_axes / mlax.mesh_shape,
//      set by mlax-spmd-partition); a collective in a module without one
//      is an error.
//   2. Add `util.global private mutable @mlax_mesh_coordinates :
//      tensor<R x i32>` and an exported `@mlax_set_mesh_coordinates` that
//      stores into it; the runtime calls it once per device.
//   3. axis_index over axes (a0, ..., ak): load the coordinates, pick the
//      named ones and combine them row-major: ((c0 * s1 + c1) * s2 + ...).
//   4. Every other collective becomes `func.call @mlaxcoll.cN(x)`, a
//      private declaration (an IREE VM import of module "mlaxcoll") with
//      `mlax.collective` = the op's name and attributes plus the operand's
//      element type; identical collectives share one declaration.
//
//===----------------------------------------------------------------------===//

#include "passes/MlaxEmit.h"
#include "passes/Passes.h"

#include "dialects/mlax/MlaxSharding.h"

namespace mlax {
#define GEN_PASS_DEF_MLAXLOWERCOLLECTIVES
#include "passes/Passes.h.inc"
} // namespace mlax

using namespace mlir;
using namespace mlax;

namespace {

constexpr StringLiteral kCoordinates = "mlax_mesh_coordinates";

struct MlaxLowerCollectives
    : public mlax::impl::MlaxLowerCollectivesBase<MlaxLowerCollectives> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<Operation *> collectives;
    module.walk([&](Operation *op) {
      if (isa<PsumOp, AllGatherOp, PsumScatterOp, AllToAllOp, PpermuteOp,
              AxisIndexOp>(op))
        collectives.push_back(op);
    });
    std::optional<Mesh> mesh = Mesh::of(module, "mlax.");
    if (!mesh) {
      if (!collectives.empty()) {
        collectives.front()->emitOpError(
            "has no mesh to run over: collectives need a module partitioned "
            "by mlax-spmd-partition (a pmap or shard_map)");
        return signalPassFailure();
      }
      return;
    }
    if (!ctx->allowsUnregisteredDialects()) {
      module.emitError("mlax-lower-collectives builds IREE's util.global "
                       "ops by name: allow unregistered dialects");
      return signalPassFailure();
    }
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    Location loc = module.getLoc();
    // 2. The coordinates and their setter.
    int64_t rank = mesh->axes.size();
    auto coordsType = RankedTensorType::get({rank}, b.getI32Type());
    if (!module.lookupSymbol(kCoordinates)) {
      createByName(
          b, loc, "util.global", {}, {},
          {b.getNamedAttr("sym_name", b.getStringAttr(kCoordinates)),
           b.getNamedAttr("sym_visibility", b.getStringAttr("private")),
           b.getNamedAttr("type", TypeAttr::get(coordsType)),
           b.getNamedAttr("is_mutable", b.getUnitAttr()),
           b.getNamedAttr(
               "initial_value",
               DenseElementsAttr::get(coordsType, b.getI32IntegerAttr(0)))});
      auto setter =
          func::FuncOp::create(b, loc, "mlax_set_mesh_coordinates",
                               FunctionType::get(ctx, {coordsType}, {}));
      Block *entry = setter.addEntryBlock();
      OpBuilder sb = OpBuilder::atBlockEnd(entry);
      createByName(sb, loc, "util.global.store", {entry->getArgument(0)}, {},
                   {sb.getNamedAttr(
                       "global", FlatSymbolRefAttr::get(ctx, kCoordinates))});
      func::ReturnOp::create(sb, loc);
    }
    // 3-4.
    DenseMap<Attribute, func::FuncOp> imports;
    int64_t next = 0;
    for (Operation *op : collectives) {
      OpBuilder ob(op);
      Location at = op->getLoc();
      if (auto index = dyn_cast<AxisIndexOp>(op)) {
        Emit e{ob, at};
        Value coords =
            createByName(ob, at, "util.global.load", {}, {coordsType},
                         {ob.getNamedAttr("global", FlatSymbolRefAttr::get(
                                                        ctx, kCoordinates))})
                ->getResult(0);
        auto scalar = RankedTensorType::get({}, ob.getI32Type());
        Value acc;
        for (auto [name, size] :
             llvm::zip(index.getAxisNames(), index.getAxisSizes())) {
          int64_t k = mesh->index(cast<StringAttr>(name).getValue());
          if (k < 0) {
            op->emitOpError("axis ")
                << name << " is not an axis of the module's mesh";
            return signalPassFailure();
          }
          Value one = SliceOp::create(
              ob, at, RankedTensorType::get({1}, ob.getI32Type()), coords,
              ArrayRef<int64_t>{k}, ArrayRef<int64_t>{k + 1},
              ArrayRef<int64_t>{1});
          Value c = e.reshape(one, {});
          if (!acc) {
            acc = c;
            continue;
          }
          Value s = ConstantOp::create(
              ob, at, scalar,
              DenseElementsAttr::get(scalar, ob.getI32IntegerAttr(size)));
          acc = e.add(e.mul(acc, s), c);
        }
        op->getResult(0).replaceAllUsesWith(acc);
        op->erase();
        continue;
      }
      NamedAttrList attrs(op->getAttrDictionary());
      attrs.set("kind", b.getStringAttr(op->getName().stripDialect()));
      attrs.set("element_type", TypeAttr::get(cast<RankedTensorType>(
                                                  op->getOperand(0).getType())
                                                  .getElementType()));
      attrs.set("operand_type", TypeAttr::get(op->getOperand(0).getType()));
      attrs.set("result_type", TypeAttr::get(op->getResult(0).getType()));
      Attribute spec = attrs.getDictionary(ctx);
      func::FuncOp decl = imports.lookup(spec);
      if (!decl) {
        OpBuilder db = OpBuilder::atBlockEnd(module.getBody());
        decl =
            func::FuncOp::create(db, at, ("mlaxcoll.c" + Twine(next++)).str(),
                                 FunctionType::get(ctx, op->getOperandTypes(),
                                                   op->getResultTypes()));
        decl.setPrivate();
        decl->setAttr("mlax.collective", spec);
        imports[spec] = decl;
      }
      auto call = func::CallOp::create(ob, at, decl, op->getOperands());
      op->replaceAllUsesWith(call.getResults());
      op->erase();
    }
  }
};

} // namespace
