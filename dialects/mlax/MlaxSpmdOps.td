//===- MlaxSpmdOps.td - collectives and shardings --------------*- tablegen -*-===//
//
// SPMD: collectives over named mesh axes (JAX's psum, all_gather, ...) and
// the sharding constraint. A collective names the axes it runs over with
// their sizes, so its result type is checked without the enclosing mesh;
// inside a function that carries a mesh (`mlax.mesh_axes`/`mlax.mesh_shape`,
// set by shard_map expansion and pmap) the names and sizes must agree with
// it. Specs: docs/ops.md; rules: docs/status.md and docs/spmd.md.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_SPMD_OPS_TD
#define MLAX_SPMD_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_Reduction : I32EnumAttr<"Reduction", "how psum combines values", [
      I32EnumAttrCase<"SUM", 0, "sum">, I32EnumAttrCase<"MAX", 1, "max">,
      I32EnumAttrCase<"MIN", 2, "min">, I32EnumAttrCase<"AND", 3, "and">,
      I32EnumAttrCase<"OR", 4, "or">]> {
  let cppNamespace = "::mlax";
}

class Mlax_CollectiveOp<string mnemonic, list<Trait> traits = []>
    : Mlax_Op<mnemonic, traits> {
  code collectiveDecl = [{
    /// The number of devices taking part: the product of the axis sizes.
    int64_t getGroupSize() {
      int64_t n = 1;
      for (int64_t s : getAxisSizes())
        n *= s;
      return n;
    }
  }];
  let extraClassDeclaration = collectiveDecl;
  let hasVerifier = 1;
}

def Mlax_PsumOp : Mlax_CollectiveOp<"psum", [SameOperandsAndResultType]> {
  let summary = "lax.psum / pmax / pmin: all-reduce over mesh axes";
  let arguments = (ins Mlax_Tensor:$operand, Mlax_Reduction:$reduction,
                   StrArrayAttr:$axis_names, DenseI64ArrayAttr:$axis_sizes);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = [{
    $reduction `,` $operand `over` $axis_names `sizes` $axis_sizes attr-dict `:` type($result)
  }];
}

def Mlax_AllGatherOp : Mlax_CollectiveOp<"all_gather"> {
  let summary = "lax.all_gather: every device's operand, stacked or concatenated";
  let arguments = (ins Mlax_Tensor:$operand, StrArrayAttr:$axis_names,
                   DenseI64ArrayAttr:$axis_sizes, I64Attr:$dimension,
                   BoolAttr:$tiled);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = [{
    $operand `over` $axis_names `sizes` $axis_sizes `dim` `=` $dimension `tiled` `=` $tiled
    attr-dict `:` functional-type($operand, $result)
  }];
}

def Mlax_PsumScatterOp : Mlax_CollectiveOp<"psum_scatter"> {
  let summary = "lax.psum_scatter: sum over the axes, each device keeps one block";
  let arguments = (ins Mlax_NumericTensor:$operand, StrArrayAttr:$axis_names,
                   DenseI64ArrayAttr:$axis_sizes, I64Attr:$dimension,
                   BoolAttr:$tiled);
  let results = (outs Mlax_NumericTensor:$result);
  let assemblyFormat = [{
    $operand `over` $axis_names `sizes` $axis_sizes `dim` `=` $dimension `tiled` `=` $tiled
    attr-dict `:` functional-type($operand, $result)
  }];
}

def Mlax_AllToAllOp : Mlax_CollectiveOp<"all_to_all"> {
  let summary = "lax.all_to_all: split one dimension across devices, concatenate another";
  let arguments = (ins Mlax_Tensor:$operand, StrArrayAttr:$axis_names,
                   DenseI64ArrayAttr:$axis_sizes, I64Attr:$split_dimension,
                   I64Attr:$concat_dimension);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = [{
    $operand `over` $axis_names `sizes` $axis_sizes `split` `=` $split_dimension
    `concat` `=` $concat_dimension attr-dict `:` functional-type($operand, $result)
  }];
}

def Mlax_PpermuteOp : Mlax_CollectiveOp<"ppermute", [SameOperandsAndResultType]> {
  let summary = "lax.ppermute: send to the devices given by (source, target) pairs";
  let description = [{
    `pairs` is flat: source0, target0, source1, target1, ... (indices along
    the axes). A device no pair targets receives zeros.
  }];
  let arguments = (ins Mlax_Tensor:$operand, StrArrayAttr:$axis_names,
                   DenseI64ArrayAttr:$axis_sizes, DenseI64ArrayAttr:$pairs);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = [{
    $operand `over` $axis_names `sizes` $axis_sizes `pairs` `=` $pairs attr-dict `:` type($result)
  }];
}

def Mlax_AxisIndexOp : Mlax_CollectiveOp<"axis_index", [Mlax_ZeroDerivative]> {
  let summary = "lax.axis_index: this device's index along the axes (row-major)";
  let arguments = (ins StrArrayAttr:$axis_names, DenseI64ArrayAttr:$axis_sizes);
  let results = (outs 0DTensorOf<[I32]>:$result);
  let assemblyFormat = "`over` $axis_names `sizes` $axis_sizes attr-dict `:` type($result)";
}

def Mlax_ShardingConstraintOp : Mlax_Op<"sharding_constraint",
    [Pure, SameOperandsAndResultType]> {
  let summary = "lax.with_sharding_constraint: the value, laid out by `sharding` over the mesh";
  let description = [{
    The identity on values. In a global (not yet partitioned) function it
    pins the sharding of its result for `mlax-sharding-propagation`;
    `mlax-spmd-partition` reshards its operand to it. `sharding` is a spec:
    one list of mesh axes per dimension.
  }];
  let arguments = (ins Mlax_Tensor:$operand, StrArrayAttr:$mesh_axes,
                   DenseI64ArrayAttr:$mesh_shape, ArrayAttr:$sharding);
  let results = (outs Mlax_Tensor:$result);
  let assemblyFormat = [{
    $operand `mesh` `=` $mesh_axes `shape` `=` $mesh_shape `sharding` `=` $sharding
    attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_SPMD_OPS_TD
