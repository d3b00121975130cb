//===- MlaxSortOps.td - sort and top_k -------------------------*- tablegen -*-===//
//
// Sorting along one dimension with JAX's fixed total order (NaN last, -0.0
// equal to 0.0), several operands carried along by the first num_keys;
// top_k along the last dimension. docs/indexing.md.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_SORT_OPS_TD
#define MLAX_SORT_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_SortOp : Mlax_Op<"sort", [Pure]> {
  let summary = "stable sort of several operands by their first num_keys";
  let description = [{
    `%r:N = mlax.sort %a, %b, ... dimension = d num_keys = k` reorders every
    operand along `d` by the same permutation: the one that sorts the
    positions lexicographically by the first `k` operands, ascending, ties
    kept in their original order (stable). Floats compare as JAX's
    `lax.sort` does: NaNs (of either sign) after +inf, -0.0 equal to 0.0;
    booleans false < true; unsigned integers as unsigned. (C1) at least one
    operand; (C2) operands share one shape; (C3) 0 <= d < rank; (C4)
    1 <= k <= N; (C5) result i has operand i's type.
  }];
  let arguments = (ins Variadic<Mlax_Tensor>:$inputs, I64Attr:$dimension,
                   I64Attr:$num_keys);
  let results = (outs Variadic<Mlax_Tensor>:$results);
  let assemblyFormat = [{
    $inputs `dimension` `=` $dimension `num_keys` `=` $num_keys attr-dict `:` functional-type($inputs, $results)
  }];
  let hasVerifier = 1;
}

def Mlax_TopKOp : Mlax_Op<"top_k", [Pure]> {
  let summary = "the k largest entries along the last dimension";
  let description = [{
    `%v, %i = mlax.top_k %x k = K` gives, for each row along the last
    dimension, its `K` largest entries in descending order and their
    positions (`i32`); equal entries keep their original order. Floats
    order as XLA's TopK, a total order: -NaN < -inf < ... < -0.0 < 0.0
    < ... < inf < NaN;
    booleans true above false.
    (C1) rank >= 1; (C2) 0 <= K <= the last dimension; (C3) `v` has the
    operand's shape with the last dimension K and its element type; `i`
    the same shape, `i32`.
  }];
  let arguments = (ins Mlax_Tensor:$operand, I64Attr:$k);
  let results = (outs Mlax_Tensor:$values, Mlax_IntTensor:$indices);
  let assemblyFormat = [{
    $operand `k` `=` $k attr-dict `:` functional-type($operand, results)
  }];
  let hasVerifier = 1;
}

#endif // MLAX_SORT_OPS_TD
