//===- MlaxReductionOps.td - reductions and dot_general --------*- tablegen -*-===//

#ifndef MLAX_REDUCTION_OPS_TD
#define MLAX_REDUCTION_OPS_TD

include "dialects/mlax/MlaxBase.td"

class Mlax_ReduceOp<string mnemonic, Type tensorType, list<Trait> traits = []>
    : Mlax_Op<mnemonic, traits # [Pure, SameOperandsAndResultElementType,
                         DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "lax." # mnemonic # " over a set of axes";
  let arguments = (ins tensorType:$operand, DenseI64ArrayAttr:$axes);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $operand `,` `axes` `=` $axes attr-dict `:` functional-type($operand, $result)
  }];
}

def Mlax_ReduceSumOp : Mlax_ReduceOp<"reduce_sum", Mlax_NumberTensor>;
def Mlax_ReduceProdOp : Mlax_ReduceOp<"reduce_prod", Mlax_NumberTensor>;
def Mlax_ReduceMaxOp : Mlax_ReduceOp<"reduce_max", Mlax_Tensor>;
def Mlax_ReduceMinOp : Mlax_ReduceOp<"reduce_min", Mlax_Tensor>;
def Mlax_ReduceAndOp : Mlax_ReduceOp<"reduce_and", Mlax_IntOrBoolTensor, [Mlax_ZeroDerivative]>;
def Mlax_ReduceOrOp : Mlax_ReduceOp<"reduce_or", Mlax_IntOrBoolTensor, [Mlax_ZeroDerivative]>;

class Mlax_ArgReduceOp<string mnemonic>
    : Mlax_Op<mnemonic, [Pure, Mlax_ZeroDerivative]> {
  let summary = "lax." # mnemonic # ": first index of the extreme value (NaN wins)";
  let arguments = (ins Mlax_NumericTensor:$operand, I64Attr:$axis);
  let results = (outs StaticShapeTensorOf<[Mlax_SignedInt]>:$result);
  let assemblyFormat = [{
    $operand `,` `axis` `=` $axis attr-dict `:` functional-type($operand, $result)
  }];
  let hasVerifier = 1;
}

def Mlax_ArgMaxOp : Mlax_ArgReduceOp<"argmax">;
def Mlax_ArgMinOp : Mlax_ArgReduceOp<"argmin">;

def Mlax_DotGeneralOp : Mlax_Op<"dot_general", [Pure]> {
  let summary = "lax.dot_general; the result element type is the preferred type";
  let arguments = (ins Mlax_NumberTensor:$lhs, Mlax_NumberTensor:$rhs,
                   DenseI64ArrayAttr:$lhs_batching_dimensions,
                   DenseI64ArrayAttr:$rhs_batching_dimensions,
                   DenseI64ArrayAttr:$lhs_contracting_dimensions,
                   DenseI64ArrayAttr:$rhs_contracting_dimensions);
  let results = (outs Mlax_NumberTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` `batch` `=` $lhs_batching_dimensions `x` $rhs_batching_dimensions
    `,` `contract` `=` $lhs_contracting_dimensions `x` $rhs_contracting_dimensions
    attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

// The cumulative reductions share one shape: the operand's type, an axis and
// a direction; they differ in the combiner (LowerToLinalgCumulative.cpp).
class Mlax_CumulativeOp<string mnemonic, Type tensorType, string combined>
    : Mlax_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "lax." # mnemonic # ": the running " # combined # " along one axis";
  let description = [{
    `%r = mlax.}] # mnemonic # [{ %x axis = d reverse = false` gives
    `r[..., i, ...] = x[..., 0, ...] (+) ... (+) x[..., i, ...]` along `d`
    (from the end when `reverse`), `(+)` the combiner (add, mul, max, min
    or logaddexp). (C1) 0 <= d < rank. Integers wrap; max/min propagate
    NaN; floats combine in order within blocks (docs/indexing.md).
  }];
  let arguments = (ins tensorType:$operand, I64Attr:$axis, BoolAttr:$reverse);
  let results = (outs tensorType:$result);
  let assemblyFormat = [{
    $operand `axis` `=` $axis `reverse` `=` $reverse attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mlax_CumsumOp : Mlax_CumulativeOp<"cumsum", Mlax_NumericTensor, "sum">;
def Mlax_CumprodOp : Mlax_CumulativeOp<"cumprod", Mlax_NumericTensor, "product">;
def Mlax_CummaxOp : Mlax_CumulativeOp<"cummax", Mlax_NumericTensor, "maximum">;
def Mlax_CumminOp : Mlax_CumulativeOp<"cummin", Mlax_NumericTensor, "minimum">;
def Mlax_CumlogsumexpOp
    : Mlax_CumulativeOp<"cumlogsumexp", Mlax_FloatTensor, "log-sum-exp">;

#endif // MLAX_REDUCTION_OPS_TD
