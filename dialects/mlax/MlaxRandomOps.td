//===- MlaxRandomOps.td - the counter-based random generator -*- tablegen -*-===//
//
// JAX's PRNG is threefry2x32, counter-based: the bits of element i depend
// only on the key and on i. mlax keeps the generator itself as one
// elementwise op over (key, counter) pairs; deriving keys (split, fold_in)
// and bits from a key are compositions of it with iota in the frontend, as
// in JAX. Being elementwise, it needs no rule of its own for batching,
// fusion or (later) sharding: see docs/random.md.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_RANDOM_OPS_TD
#define MLAX_RANDOM_OPS_TD

include "dialects/mlax/MlaxBase.td"

def Mlax_UI32Tensor : StaticShapeTensorOf<[UI32]>;

def Mlax_Threefry2x32Op : Mlax_Op<"threefry2x32",
    [Pure, Elementwise, SameOperandsAndResultType, Mlax_ZeroDerivative]> {
  let summary = "the Threefry-2x32 block cipher (20 rounds), elementwise";
  let description = [{
    For each element, encrypts the 64-bit counter `(count_hi, count_lo)`
    with the 64-bit key `(key0, key1)` (Salmon et al., "Parallel random
    numbers: as easy as 1, 2, 3", 2011; the rotation constants and key
    schedule of JAX's `threefry2x32_p`) and returns the two 32-bit words.
    (C1) operands and results are statically shaped `ui32` tensors; (C2)
    all of one type.
  }];
  let arguments = (ins Mlax_UI32Tensor:$key0, Mlax_UI32Tensor:$key1,
                   Mlax_UI32Tensor:$count_hi, Mlax_UI32Tensor:$count_lo);
  let results = (outs Mlax_UI32Tensor:$bits0, Mlax_UI32Tensor:$bits1);
  let assemblyFormat = [{
    $key0 `,` $key1 `,` $count_hi `,` $count_lo attr-dict `:` type($bits0)
  }];
}

#endif // MLAX_RANDOM_OPS_TD
