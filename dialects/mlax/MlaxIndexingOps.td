//===- MlaxIndexingOps.td - gather and scatter -----------------*- tablegen -*-===//
//
// Point gather and scatter: index vectors pick positions along some
// dimensions of an operand, the other dimensions are taken whole. This is
// the form NumPy's integer-array indexing and `.at[]` produce (JAX's
// GatherDimensionNumbers with every indexed dimension collapsed, full
// slices elsewhere, index_vector_dim last). docs/indexing.md.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_INDEXING_OPS_TD
#define MLAX_INDEXING_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_IndexMode : I32EnumAttr<"IndexMode",
    "what an out-of-bounds index does (JAX's GatherScatterMode)", [
      I32EnumAttrCase<"clip", 0>,  // clamped into range
      I32EnumAttrCase<"fill", 1>,  // gather: the fill value; scatter: dropped
      // JAX's promise_in_bounds (what x[i] uses): clamped reads, dropped
      // writes (so a gather's transpose drops out-of-range cotangents).
      I32EnumAttrCase<"promise_in_bounds", 2>,
    ]> {
  let cppNamespace = "::mlax";
}

def Mlax_ScatterKind : I32EnumAttr<"ScatterKind",
    "how a scatter combines an update with the operand", [
      I32EnumAttrCase<"replace", 0>, I32EnumAttrCase<"add", 1>,
      I32EnumAttrCase<"mul", 2>, I32EnumAttrCase<"min", 3>,
      I32EnumAttrCase<"max", 4>]> {
  let cppNamespace = "::mlax";
}

def Mlax_GatherOp : Mlax_Op<"gather", [Pure]> {
  let summary = "point gather: operand rows picked by index vectors";
  let description = [{
    `%r = mlax.gather %x[%idx] dims = [d0, ..., dK-1] mode = m` with
    `%idx : tensor<B... x K x iN>` gives, for every batch position b,
    `x[idx[b, 0] at d0, ..., idx[b, K-1] at dK-1, the other dims whole]`:
    `r` has shape `B... ++ (x's shape without d0..dK-1)`. Indices are
    clamped into range (`clip`, `promise_in_bounds`), or an index vector
    with any out-of-range component gives `fill_value` (`fill`).
  }];
  let arguments = (ins Mlax_AnyTensor:$operand, Mlax_IntTensor:$indices,
                   DenseI64ArrayAttr:$dims, Mlax_IndexMode:$mode,
                   OptionalAttr<TypedAttrInterface>:$fill_value);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `[` $indices `]` `dims` `=` $dims `mode` `=` $mode attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Mlax_ScatterOp : Mlax_Op<"scatter", [Pure,
    AllTypesMatch<["operand", "result"]>]> {
  let summary = "point scatter: combine updates into operand rows";
  let description = [{
    `%r = mlax.scatter add %x[%idx], %u dims = [...] mode = m` with
    `%idx : tensor<B... x K x iN>` and `%u : tensor<B... ++ rest>` combines
    each update row `u[b]` into the row of `x` that `idx[b]` names (as in
    gather); repeated indices combine (`add`, `mul`, `min`, `max`) or one of
    them wins (`replace`). Out-of-range index vectors are clamped (`clip`)
    or dropped (`fill`, `promise_in_bounds`).
  }];
  let arguments = (ins Mlax_ScatterKind:$kind, Mlax_AnyTensor:$operand,
                   Mlax_IntTensor:$indices, Mlax_AnyTensor:$updates,
                   DenseI64ArrayAttr:$dims, Mlax_IndexMode:$mode);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $kind $operand `[` $indices `]` `,` $updates `dims` `=` $dims `mode` `=` $mode attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_INDEXING_OPS_TD
