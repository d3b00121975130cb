//===- MlaxTransformOps.td - transformation requests -----------*- tablegen -*-===//
//
// Requests for a transformed version of a function symbol, expanded by the
// mlax passes (mlax-autodiff, mlax-batch), the way enzyme.autodiff names its
// callee.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_TRANSFORM_OPS_TD
#define MLAX_TRANSFORM_OPS_TD

include "dialects/mlax/MlaxBase.td"
include "mlir/IR/SymbolInterfaces.td"

def Mlax_VjpOp : Mlax_Op<"vjp",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reverse-mode derivative of a function (a VJP request)";
  let description = [{
    `mlax.vjp @f(primals..., cotangents...)` with `active` (one flag per
    argument of `@f`) returns `@f`'s results followed by the cotangent of
    each active argument. The cotangents given are one per result of `@f`.
    `mlax-autodiff` replaces it with a call to a generated function.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                   Variadic<AnyRankedTensor>:$inputs,
                   DenseBoolArrayAttr:$active);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $callee `(` $inputs `)` `active` `=` $active attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def Mlax_JvpOp : Mlax_Op<"jvp",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "forward-mode derivative of a function (a JVP request)";
  let description = [{
    `mlax.jvp @f(primals..., tangents...)` with `active` (one flag per
    argument of `@f`) takes one tangent per active argument and returns
    `@f`'s results followed by one tangent per result (zeros for integer
    results). `mlax-autodiff` replaces it with a call to a generated
    function.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                   Variadic<AnyRankedTensor>:$inputs,
                   DenseBoolArrayAttr:$active);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $callee `(` $inputs `)` `active` `=` $active attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def Mlax_BatchOp : Mlax_Op<"batch",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "batched version of a function (a vmap request)";
  let description = [{
    `mlax.batch @f(args...) in_axes = [...] out_axes = [...] size = N` runs
    `@f` on `N` examples at once. `in_axes` has one entry per argument of
    `@f`: the axis of the operand that indexes the examples, or -1 for an
    operand shared by all of them (not batched). `out_axes` likewise places
    the example axis in each result (-1: the result must not depend on a
    batched operand). The optional `axis_name` names the mapped axis for
    collectives. `mlax-batch` replaces it with a call to a generated
    function.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                   Variadic<AnyRankedTensor>:$inputs,
                   DenseI64ArrayAttr:$in_axes,
                   DenseI64ArrayAttr:$out_axes,
                   I64Attr:$axis_size,
                   OptionalAttr<StrAttr>:$axis_name);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $callee `(` $inputs `)` `in_axes` `=` $in_axes `out_axes` `=` $out_axes
    `size` `=` $axis_size attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def Mlax_ShardMapOp : Mlax_Op<"shard_map",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "per-device code over a device mesh (a shard_map request; pmap is one over a 1-d mesh)";
  let description = [{
    `mlax.shard_map @f(args...)` runs `@f` on every device of the mesh
    (`mesh_axes` with sizes `mesh_shape`), each on its block of the
    arguments. A spec has one entry per dimension: the mesh axes that split
    that dimension (`[]`: not split); `in_specs` has one spec per operand,
    `out_specs` one per result. `@f` sees and returns blocks, and may use
    collectives over the mesh axes. `mlax-spmd-partition` expands it into
    the per-device program.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee,
                   Variadic<AnyRankedTensor>:$inputs,
                   StrArrayAttr:$mesh_axes,
                   DenseI64ArrayAttr:$mesh_shape,
                   ArrayAttr:$in_specs,
                   ArrayAttr:$out_specs);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = [{
    $callee `(` $inputs `)` `mesh` `=` $mesh_axes `shape` `=` $mesh_shape
    `in_specs` `=` $in_specs `out_specs` `=` $out_specs attr-dict `:` functional-type($inputs, $outputs)
  }];
}

def Mlax_StopGradientOp : Mlax_Op<"stop_gradient",
    [Pure, SameOperandsAndResultType, Mlax_ZeroDerivative]> {
  let summary = "lax.stop_gradient: identity whose derivative is zero";
  let arguments = (ins Mlax_AnyTensor:$operand);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($result)";
}

def Mlax_OptimizationBarrierOp : Mlax_Op<"optimization_barrier",
    [DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.optimization_barrier: identity that optimizations must not see through";
  let description = [{
    Returns its operands unchanged. It has no declared memory effects, so
    CSE cannot merge values computed from its results with values computed
    from its operands, and nothing is moved across it: checkpointing
    (`mlax.remat`) routes the recomputation's inputs through one so the
    recomputation survives. Lowers to IREE's `util.optimization_barrier`.
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$operands);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    ($operands^ `:` type($operands))? attr-dict
  }];
  let hasVerifier = 1;
}

#endif // MLAX_TRANSFORM_OPS_TD
