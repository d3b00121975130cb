//===- MlaxShapeOps.td - structural (shape-changing) ops -------*- tablegen -*-===//

#ifndef MLAX_SHAPE_OPS_TD
#define MLAX_SHAPE_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_BroadcastInDimOp : Mlax_Op<"broadcast_in_dim", [Pure]> {
  let summary = "lax.broadcast_in_dim";
  let arguments = (ins Mlax_AnyTensor:$operand,
                   DenseI64ArrayAttr:$broadcast_dimensions);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $broadcast_dimensions attr-dict `:` functional-type($operand, $result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mlax_ReshapeOp : Mlax_Op<"reshape", [Pure]> {
  let summary = "lax.reshape (row-major; also squeeze and expand_dims)";
  let arguments = (ins Mlax_AnyTensor:$operand);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mlax_TransposeOp : Mlax_Op<"transpose",
    [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.transpose";
  let arguments = (ins Mlax_AnyTensor:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `,` `perm` `=` $permutation attr-dict `:` functional-type($operand, $result)
  }];
  let hasFolder = 1;
}

def Mlax_RevOp : Mlax_Op<"rev",
    [Pure, AllTypesMatch<["operand", "result"]>]> {
  let summary = "lax.rev: reverse along dimensions";
  let arguments = (ins Mlax_AnyTensor:$operand, DenseI64ArrayAttr:$dimensions);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $dimensions attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mlax_ConcatenateOp : Mlax_Op<"concatenate",
    [Pure, SameOperandsAndResultElementType,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.concatenate";
  let arguments = (ins Variadic<Mlax_AnyTensor>:$inputs, I64Attr:$dimension);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    `(` $inputs `)` `dim` `=` $dimension attr-dict `:` functional-type($inputs, $result)
  }];
}

def Mlax_PadOp : Mlax_Op<"pad",
    [Pure, SameOperandsAndResultElementType,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.pad with low, high (may be negative) and interior padding";
  let arguments = (ins Mlax_AnyTensor:$operand, 0DTensorOf<[Mlax_AnyElement]>:$padding_value,
                   DenseI64ArrayAttr:$edge_padding_low,
                   DenseI64ArrayAttr:$edge_padding_high,
                   DenseI64ArrayAttr:$interior_padding);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `,` $padding_value `,` `low` `=` $edge_padding_low `,` `high` `=` $edge_padding_high
    `,` `interior` `=` $interior_padding attr-dict `:` functional-type(operands, $result)
  }];
}

def Mlax_SliceOp : Mlax_Op<"slice",
    [Pure, SameOperandsAndResultElementType,
     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.slice with static start, limit and strides";
  let arguments = (ins Mlax_AnyTensor:$operand,
                   DenseI64ArrayAttr:$start_indices,
                   DenseI64ArrayAttr:$limit_indices,
                   DenseI64ArrayAttr:$strides);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `,` `start` `=` $start_indices `,` `limit` `=` $limit_indices `,` `strides` `=` $strides
    attr-dict `:` functional-type($operand, $result)
  }];
}

def Mlax_DynamicSliceOp : Mlax_Op<"dynamic_slice",
    [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax.dynamic_slice (start indices clamped into range)";
  let arguments = (ins Mlax_AnyTensor:$operand, Variadic<Mlax_IndexScalar>:$start_indices,
                   DenseI64ArrayAttr:$slice_sizes);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `[` $start_indices `]` `,` `sizes` `=` $slice_sizes attr-dict `:` functional-type(operands, $result)
  }];
}

def Mlax_DynamicUpdateSliceOp : Mlax_Op<"dynamic_update_slice",
    [Pure, AllTypesMatch<["operand", "result"]>]> {
  let summary = "lax.dynamic_update_slice (start indices clamped into range)";
  let arguments = (ins Mlax_AnyTensor:$operand, Mlax_AnyTensor:$update,
                   Variadic<Mlax_IndexScalar>:$start_indices);
  let results = (outs Mlax_AnyTensor:$result);
  let assemblyFormat = [{
    $operand `[` $start_indices `]` `,` $update attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_SHAPE_OPS_TD
