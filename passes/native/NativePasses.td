//===- NativePasses.td - passes of the native (no IREE) path -*- tablegen -*-===//
//
// The native path (mlax-compile --emit=object) compiles linalg IR with
// upstream MLIR and LLVM alone. Its passes live in their own library, so the
// Python bindings and the IREE path do not link the vector/LLVM stack.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_NATIVE_PASSES_TD
#define MLAX_NATIVE_PASSES_TD

include "mlir/Pass/PassBase.td"

def MlaxNativeWidenBools : Pass<"mlax-native-widen-bools", "mlir::ModuleOp"> {
  let summary = "Store bools as bytes: every i1 tensor becomes an i8 tensor";
  let description = [{
    For the native path, on linalg-on-tensors IR. A C/C++ `bool` buffer
    holds one byte per element, while LLVM stores vectors of i1 as packed
    bits (and MLIR's memref lowering does not store i1 at all). Every
    tensor of i1, function signatures included, becomes a tensor of i8;
    linalg bodies truncate on entry (`arith.trunci`) and extend on exit
    (`arith.extui`), so the computation itself stays on i1.

    Before:
    ```mlir
    func.func @f(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi1> {
      %e = tensor.empty() : tensor<4xi1>
      %0 = linalg.generic ... outs(%e : tensor<4xi1>) {
      ^bb0(%x: f32, %y: f32, %o: i1):
        %c = arith.cmpf olt, %x, %y : f32
        linalg.yield %c : i1
      } -> tensor<4xi1>
    ```
    After: `tensor<4xi8>` everywhere, `%o: i8`, and `arith.extui %c : i1 to
    i8` before the yield.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def MlaxNativeVectorize : Pass<"mlax-native-vectorize", "mlir::func::FuncOp"> {
  let summary = "Tile linalg ops into register-sized blocks and vectorize them";
  let description = [{
    For the native CPU path, on tensors, before bufferization. Every linalg
    op with static shapes is tiled with `scf.for` loops into blocks whose
    sizes divide the iteration space (no partial tiles, so no masks), then
    each block is vectorized. Contractions (a reduction dimension and two or
    more parallel ones) get an 8 x 32 block of the last two parallel
    dimensions and 16 of the innermost reduction: `vector.contract` on
    register tiles. Other ops get 1 x ... x 1 x 16 blocks. Ops the
    vectorizer does not take stay as they are (lowered to loops later).
    With `min-parallel-work=N`, an op of at least N iterations first has its
    outermost parallel loop with two or more tiles tiled as `scf.forall`
    (mlax-compile runs those iterations on threads through OpenMP).

    Before:
    ```mlir
    %0 = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                       outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
    ```
    After: three `scf.for` loops (8, 32, 16) around `vector.transfer_read`s,
    one `vector.contract` and a `vector.transfer_write`.
  }];
  let options = [
    Option<"minParallelWork", "min-parallel-work", "int64_t", /*default=*/"0",
           "Ops with at least this many iterations get their outermost "
           "splittable parallel loop as an scf.forall (threads later); 0: none">
  ];
  let dependentDialects = [
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
    "mlir::tensor::TensorDialect", "mlir::affine::AffineDialect",
    "mlir::arith::ArithDialect"
  ];
}

def MlaxNativeLowerVectors : Pass<"mlax-native-lower-vectors", "mlir::func::FuncOp"> {
  let summary = "Lower vector ops to what convert-vector-to-llvm takes, on buffers";
  let description = [{
    After bufferization: turns memref.copy of strided views into
    linalg.copy (loops, not a call of MLIR's runtime library), hoists
    loop-invariant transfers (a contraction's
    accumulator stays in registers across the reduction loop), lowers
    `vector.contract` to outer products (FMAs), multi-reductions, transposes,
    broadcasts, shape casts and permuted transfers to 1-d vector ops.
  }];
  let dependentDialects = [
    "mlir::vector::VectorDialect", "mlir::memref::MemRefDialect",
    "mlir::scf::SCFDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect"
  ];
}

#endif // MLAX_NATIVE_PASSES_TD
