//===- MlaxSharding.cpp - meshes and per-value shardings ------------------===//

#include "dialects/mlax/MlaxSharding.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlax;

std::optional<Mesh> Mesh::of(Operation *op, StringRef prefix) {
  auto axes = op->getAttrOfType<ArrayAttr>((prefix + "mesh_axes").str());
  auto shape =
      op->getAttrOfType<DenseI64ArrayAttr>((prefix + "mesh_shape").str());
  if (!axes || !shape || axes.size() != shape.size())
    return std::nullopt;
  Mesh mesh;
  for (Attribute a : axes) {
    auto s = dyn_cast<StringAttr>(a);
    if (!s)
      return std::nullopt;
    mesh.axes.push_back(s.getValue());
  }
  llvm::append_range(mesh.sizes, shape.asArrayRef());
  return mesh;
}

void Mesh::setOn(Operation *op, StringRef prefix) const {
  Builder b(op->getContext());
  op->setAttr((prefix + "mesh_axes").str(), b.getStrArrayAttr(axes));
  op->setAttr((prefix + "mesh_shape").str(), b.getDenseI64ArrayAttr(sizes));
}

int64_t Mesh::index(StringRef axis) const {
  for (auto [i, a] : llvm::enumerate(axes))
    if (a == axis)
      return i;
  return -1;
}

int64_t Mesh::numDevices() const {
  int64_t n = 1;
  for (int64_t s : sizes)
    n *= s;
  return n;
}

int64_t Mesh::size(ArrayRef<StringRef> names) const {
  int64_t n = 1;
  for (StringRef a : names)
    n *= size(a);
  return n;
}

Sharding mlax::parseSpec(Attribute spec) {
  Sharding out;
  auto dims = dyn_cast_or_null<ArrayAttr>(spec);
  if (!dims)
    return out;
  for (Attribute dim : dims) {
    DimSharding axes;
    if (auto names = dyn_cast<ArrayAttr>(dim))
      for (Attribute name : names)
        if (auto s = dyn_cast<StringAttr>(name))
          axes.push_back(s.getValue());
    out.push_back(axes);
  }
  return out;
}

ArrayAttr mlax::specAttr(MLIRContext *ctx, const Sharding &sharding) {
  Builder b(ctx);
  SmallVector<Attribute> dims;
  for (const DimSharding &axes : sharding)
    dims.push_back(b.getStrArrayAttr(axes));
  return b.getArrayAttr(dims);
}

Sharding mlax::replicated(int64_t rank) { return Sharding(rank); }

bool mlax::isReplicated(const Sharding &sharding) {
  return llvm::all_of(sharding, [](const DimSharding &d) { return d.empty(); });
}

RankedTensorType mlax::localType(RankedTensorType global,
                                 const Sharding &sharding, const Mesh &mesh) {
  SmallVector<int64_t> shape(global.getShape());
  for (auto [d, axes] : llvm::enumerate(sharding))
    if (d < shape.size())
      shape[d] /= mesh.size(axes);
  return global.clone(shape);
}

LogicalResult mlax::verifyMesh(function_ref<InFlightDiagnostic()> emitError,
                               ArrayAttr axes, ArrayRef<int64_t> sizes) {
  if (axes.size() != sizes.size())
    return emitError() << axes.size() << " mesh axes but " << sizes.size()
                       << " sizes";
  llvm::StringSet<> seen;
  for (auto [axis, size] : llvm::zip(axes, sizes)) {
    if (size < 1)
      return emitError() << "mesh axis sizes must be >= 1, got " << size;
    if (!seen.insert(cast<StringAttr>(axis).getValue()).second)
      return emitError() << "mesh axis '" << cast<StringAttr>(axis).getValue()
                         << "' is named twice";
  }
  return success();
}

LogicalResult mlax::verifySpec(function_ref<InFlightDiagnostic()> emitError,
                               const Twine &what, Attribute spec,
                               RankedTensorType type, const Mesh &mesh,
                               RankedTensorType *local) {
  auto dims = dyn_cast_or_null<ArrayAttr>(spec);
  if (!dims || (int64_t)dims.size() != type.getRank())
    return emitError() << what << " needs one entry per dimension of " << type;
  SmallVector<int64_t> block(type.getShape());
  llvm::StringSet<> used;
  for (auto [d, entry] : llvm::enumerate(dims)) {
    auto names = dyn_cast<ArrayAttr>(entry);
    if (!names)
      return emitError() << what << " entry " << d
                         << " must be a list of mesh axis names";
    int64_t split = 1;
    for (Attribute name : names) {
      auto str = dyn_cast<StringAttr>(name);
      if (!str || !mesh.has(str.getValue()))
        return emitError() << what << " names " << name
                           << ", which is not a mesh axis";
      if (!used.insert(str.getValue()).second)
        return emitError() << what << " uses mesh axis '" << str.getValue()
                           << "' twice";
      split *= mesh.size(str.getValue());
    }
    if (block[d] % split != 0)
      return emitError() << what << ": dimension " << d << " of " << type
                         << " does not split evenly into " << split
                         << " blocks";
    block[d] /= split;
  }
  if (local)
    *local = type.clone(block);
  return success();
}
