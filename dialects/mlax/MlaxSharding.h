//===- MlaxSharding.h - meshes and per-value shardings ----------*- C++ -*-===//
//
// A mesh is named axes with sizes (`mesh_axes` + `mesh_shape` attributes,
// on shard_map, sharding_constraint and SPMD functions). A sharding (a
// "spec", JAX's PartitionSpec, Shardy's dimension shardings) gives, for
// each dimension of a value, the mesh axes that split it, major first
// (`[]`: not split). In IR a spec is an ArrayAttr (one per dimension) of
// ArrayAttrs of axis-name strings: [["x"], [], ["y", "z"]].
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_DIALECT_MLAXSHARDING_H
#define MLAX_DIALECT_MLAXSHARDING_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

namespace mlax {

struct Mesh {
  llvm::SmallVector<llvm::StringRef> axes;
  llvm::SmallVector<int64_t> sizes;

  /// The mesh of `op`'s `prefix`mesh_axes / `prefix`mesh_shape attributes
  /// (`mlax.` on functions and modules), if it has both.
  static std::optional<Mesh> of(mlir::Operation *op,
                                llvm::StringRef prefix = "");
  void setOn(mlir::Operation *op, llvm::StringRef prefix = "") const;

  int64_t index(llvm::StringRef axis) const;
  int64_t size(llvm::StringRef axis) const { return sizes[index(axis)]; }
  bool has(llvm::StringRef axis) const { return index(axis) >= 0; }
  int64_t numDevices() const;
  /// The product of the sizes of `axes`.
  int64_t size(llvm::ArrayRef<llvm::StringRef> axes) const;
  bool operator==(const Mesh &other) const {
    return axes == other.axes && sizes == other.sizes;
  }
  bool operator!=(const Mesh &other) const { return !(*this == other); }
};

using DimSharding = llvm::SmallVector<llvm::StringRef, 2>;
using Sharding = llvm::SmallVector<DimSharding>;

/// The spec attribute as a Sharding (an attribute of the wrong form gives
/// an empty one: call verifySpec first).
Sharding parseSpec(mlir::Attribute spec);
mlir::ArrayAttr specAttr(mlir::MLIRContext *ctx, const Sharding &sharding);
Sharding replicated(int64_t rank);
bool isReplicated(const Sharding &sharding);

/// The block of `global` one device holds (dimensions divided by the sizes
/// of their axes; they must divide evenly).
mlir::RankedTensorType localType(mlir::RankedTensorType global,
                                 const Sharding &sharding, const Mesh &mesh);

/// Checks `spec` (labelled `what` in messages) against a value of `type`
/// on `mesh`: one entry per dimension, each a list of mesh axes, no axis
/// twice, and dimensions divisible by their axes. On success writes the
/// per-device block to `local` (if given).
mlir::LogicalResult
verifySpec(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
           const llvm::Twine &what, mlir::Attribute spec,
           mlir::RankedTensorType type, const Mesh &mesh,
           mlir::RankedTensorType *local = nullptr);

/// Checks mesh axes and sizes: as many sizes as axes, sizes >= 1, no axis
/// named twice.
mlir::LogicalResult
verifyMesh(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
           mlir::ArrayAttr axes, llvm::ArrayRef<int64_t> sizes);

} // namespace mlax

#endif // MLAX_DIALECT_MLAXSHARDING_H
