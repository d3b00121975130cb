//===- Passes.td - every mlax pass ----------------------------*- tablegen -*-===//
//
// One entry per pass; each has one .cpp of the same name under the phase
// folder and one lit test of the same name under test/passes.
//
//===----------------------------------------------------------------------===//

#ifndef MLAX_PASSES_TD
#define MLAX_PASSES_TD

include "mlir/Pass/PassBase.td"

def MlaxLowerToLinalg : Pass<"mlax-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower every mlax op to linalg/tensor/arith/math (IREE's subset)";
  let description = [{
    Rewrites the mlax dialect into the subset of upstream MLIR that IREE 3.13
    accepts: elementwise ops become `linalg.generic` (never the named
    elementwise linalg ops, and never `tensor.splat`/`tensor.generate`), so
    IREE fuses chains into one dispatch. Unsigned integer types become
    signless; the signedness picks the arith op.

    Before:
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = mlax.mul %x, %x : tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```
    After:
    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %e = tensor.empty() : tensor<4xf32>
      %0 = linalg.generic {indexing_maps = [#id, #id, #id],
                           iterator_types = ["parallel"]}
          ins(%x, %x : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%a: f32, %b: f32, %out: f32):
        %m = arith.mulf %a, %b : f32
        linalg.yield %m : f32
      } -> tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```
  }];
  let options = [
    Option<"keepScatter", "keep-scatter", "bool", /*default=*/"false",
           "Leave mlax.scatter, mlax.top_k and the cumulative ops for a later run: the IREE ops "
           "they become carry regions the upstream inliner cannot walk "
           "(see compiler.py)">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    "mlir::func::FuncDialect", "mlir::scf::SCFDialect",
    "mlir::complex::ComplexDialect"
  ];
}

def MlaxAutodiff : Pass<"mlax-autodiff", "mlir::ModuleOp"> {
  let summary = "Expand mlax.vjp / mlax.jvp requests into ordinary mlax IR";
  let description = [{
    Replaces each `mlax.vjp @f` with a call to a generated function holding
    the forward sweep of `@f` and its adjoint (reverse mode), and each
    `mlax.jvp @f` with one computing tangents alongside the primal (forward
    mode), built from one rule per op (passes/autodiff/VjpRules.cpp,
    JvpRules.cpp, ElementwiseDerivatives.cpp). Requests are expanded
    innermost first, so derivatives of derivatives work in any mix; one
    whose callee still holds an mlax.batch is left for mlax-batch.

    Before:
    ```mlir
    func.func private @f(%x: tensor<f32>) -> tensor<f32> {
      %0 = mlax.mul %x, %x : tensor<f32>
      return %0 : tensor<f32>
    }
    func.func @main(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
      %0:2 = mlax.vjp @f(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
      return %0#0, %0#1 : tensor<f32>, tensor<f32>
    }
    ```
    After: `@main` calls `@f_vjp_1`, which returns `x * x` and
    `ct * x + x * ct`.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MlaxBatch : Pass<"mlax-batch", "mlir::ModuleOp"> {
  let summary = "Expand mlax.batch (vmap) requests into ordinary mlax IR";
  let description = [{
    Replaces each `mlax.batch @f` with a call to a generated function that
    runs `@f` on a whole batch, built from one batching rule per op
    (passes/batching/BatchRules.cpp). Values shared by all examples stay
    unbatched; a batch of matmuls becomes one dot_general with a batch
    dimension. Calls are batched through their callees. Requests are
    expanded innermost first (nested vmaps); one whose callee still holds an
    mlax.vjp / mlax.jvp is left for mlax-autodiff, so alternate the two
    (`-mlax-autodiff -mlax-batch -mlax-autodiff ...`) for vmap of grad and
    grad of vmap; mlax's Python pipeline repeats them until no request is
    left.

    Before:
    ```mlir
    func.func private @f(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
      %0 = mlax.mul %x, %w : tensor<3xf32>
      return %0 : tensor<3xf32>
    }
    func.func @main(%xs: tensor<8x3xf32>, %w: tensor<3xf32>) -> tensor<8x3xf32> {
      %0 = mlax.batch @f(%xs, %w) in_axes = [0, -1] out_axes = [0] size = 8 : (tensor<8x3xf32>, tensor<3xf32>) -> tensor<8x3xf32>
      return %0 : tensor<8x3xf32>
    }
    ```
    After: `@main` calls `@f_batch8_0_n_to_0`, which broadcasts `%w` to
    8x3 and multiplies.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MlaxShardingPropagation : Pass<"mlax-sharding-propagation", "mlir::ModuleOp"> {
  let summary = "Give every value of an SPMD function a sharding";
  let description = [{
    In each function with a mesh (`mlax.mesh_axes`, `mlax.mesh_shape`),
    propagates the shardings the program states (argument and result
    `mlax.sharding` attributes, `mlax.sharding_constraint`, shard_map specs)
    through every op's sharding rule (passes/spmd/ShardingRules.cpp).
    Priority: stated shardings, then forward from operands (program order;
    a factor takes the first sharding offered, results' before operands'),
    then backward from users. What no rule reaches is replicated. Records
    `mlax.sharding` on every argument and result, and on each op with a
    split result (one spec per result).

    Before:
    ```mlir
    func.func @f(%x: tensor<8x4xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x4xf32>
        attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
      %0 = mlax.exp %x : tensor<8x4xf32>
      return %0 : tensor<8x4xf32>
    }
    ```
    After: `%0` has `{mlax.sharding = [[["x"], []]]}` and the result
    `{mlax.sharding = [["x"], []]}`.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MlaxSpmdPartition : Pass<"mlax-spmd-partition", "mlir::ModuleOp"> {
  let summary = "Rewrite SPMD functions into the per-device program";
  let description = [{
    Each function with a mesh becomes the program every device runs on its
    blocks of the arguments: local shapes, shard_map callees called on
    their blocks, and collectives where shardings disagree (a psum after a
    contraction over a split dimension, all_gather / dynamic_slice /
    all_to_all to reshard). Reads the shardings mlax-sharding-propagation
    recorded. Dimensions that do not split evenly are an error.

    Before:
    ```mlir
    func.func @f(%a: tensor<4x8xf32> {mlax.sharding = [[], ["x"]]},
                 %b: tensor<8x2xf32> {mlax.sharding = [["x"], []]}) -> tensor<4x2xf32>
        attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
      %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
      return %0 : tensor<4x2xf32>
    }
    ```
    After: `@f` takes `tensor<4x4xf32>` and `tensor<4x2xf32>`, multiplies
    them and returns `mlax.psum sum, %0 over ["x"]`.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MlaxLowerCollectives : Pass<"mlax-lower-collectives", "mlir::ModuleOp"> {
  let summary = "Lower collectives to host-served imports and axis_index to the mesh coordinates";
  let description = [{
    IREE's CPU devices cannot run IREE's collectives, so each collective of
    a partitioned module becomes a call of a declared import
    `@mlaxcoll.cN` carrying an `mlax.collective` description, which the
    mlax runtime serves from the host (threads in one process, MPI across
    processes). `axis_index` reads `@mlax_mesh_coordinates`, a module
    global set once per device through `@mlax_set_mesh_coordinates`.

    Before:
    ```mlir
    %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<4xf32>
    ```
    After:
    ```mlir
    %0 = call @mlaxcoll.c0(%x) : (tensor<4xf32>) -> tensor<4xf32>
    func.func private @mlaxcoll.c0(tensor<4xf32>) -> tensor<4xf32>
        attributes {mlax.collective = {kind = "psum", reduction = #mlax<reduction sum>, ...}}
    ```
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def MlaxHostScalars : Pass<"mlax-host-scalars", "mlir::ModuleOp"> {
  let summary = "Keep a loop's 0-d carries and their arithmetic on the host (IREE's VM)";
  let description = [{
    Runs after mlax-lower-to-linalg, on the IREE path. A rank-0 carry of an
    scf.for or scf.while whose every update is scalar arithmetic IREE's VM
    runs (counters, bounds, a scalar state, the loop condition) becomes a
    scalar, and the rank-0 linalg.generics computing it become their bodies
    on scalars: the loop no longer dispatches to the device and waits for
    the condition on every trip.

    Before:
    ```mlir
    %r = scf.for %i = %c0 to %n step %c1 iter_args(%v = %x) -> (tensor<f32>) {
      %y = linalg.generic ... ins(%v : tensor<f32>) ... { arith.mulf ... }
      scf.yield %y : tensor<f32>
    }
    ```
    After (before canonicalization folds the extract/from_elements pairs):
    ```mlir
    %x0 = tensor.extract %x[] : tensor<f32>
    %r0 = scf.for %i = %c0 to %n step %c1 iter_args(%v = %x0) -> (f32) {
      %m = arith.mulf %v, ... : f32
      scf.yield %m : f32
    }
    %r = tensor.from_elements %r0 : tensor<f32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::tensor::TensorDialect", "mlir::scf::SCFDialect"
  ];
}

def MlaxBoundDispatchOperands : Pass<"mlax-bound-dispatch-operands"> {
  let summary = "Cut elementwise trees that would bind over 32 buffers in one IREE dispatch";
  let description = [{
    Runs on linalg-level IR before elementwise fusion, on the IREE path.
    IREE fuses a tree of elementwise linalg.generics into one dispatch
    binding every tensor the tree reads; past 32 bindings the module fails
    to load. A generic whose tree reads more than 24 tensors gets a
    util.optimization_barrier on each operand that carries a subtree, so
    the dispatches on either side stay small.

    Before (40 inputs summed):
    ```mlir
    %s24 = linalg.generic ins(%s23, %a24 ...) { arith.addf }  // 25 leaves
    ```
    After:
    ```mlir
    %b = "util.optimization_barrier"(%s23) : (tensor<4xf32>) -> tensor<4xf32>
    %s24 = linalg.generic ins(%b, %a24 ...) { arith.addf }    // 2 leaves
    ```
  }];
}

def MlaxKeepWhileCarries : Pass<"mlax-keep-while-carries"> {
  let summary = "Make every scf.while body read each of its carried values";
  let description = [{
    Runs last on linalg-level IR, for IREE only. IREE 3.13 rejects a loop
    whose body ignores a carried value (it rotates the loop and then fails
    in its stream conversion), so each unread after-region argument is read
    by a select whose condition is an opaque false.

    Before:
    ```mlir
    } do {
    ^bb0(%x: tensor<3xf32>, %prev: tensor<f32>):   // %prev unused
      scf.yield %x2, %p2 : tensor<3xf32>, tensor<f32>
    }
    ```
    After:
    ```mlir
    } do {
    ^bb0(%x: tensor<3xf32>, %prev: tensor<f32>):
      %false = arith.constant false
      %keep = "util.optimization_barrier"(%false) : (i1) -> i1
      %p = arith.select %keep, %prev, %p2 : tensor<f32>
      scf.yield %x2, %p : tensor<3xf32>, tensor<f32>
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::scf::SCFDialect"];
}

def MlaxFuseElementwise : Pass<"mlax-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg.generics, never into a reduction";
  let description = [{
    linalg's elementwise producer-consumer fusion (as
    linalg-fuse-elementwise-ops), with a control function that keeps a
    producer out of any consumer with reduction loops: such fusions make
    contraction-like generics that IREE 3.13's data tiling miscompiles
    (it drops the producer's op). IREE still fuses the two into one
    dispatch itself.

    Before:
    ```mlir
    %s = linalg.generic {iterator_types = ["parallel", "parallel"]}
        ins(%a) { math.sin }
    %p = linalg.generic {iterator_types = ["parallel", "parallel"]}
        ins(%s, %b) { arith.mulf }
    %r = linalg.generic {iterator_types = ["parallel", "reduction"]}
        ins(%p) { arith.addf }
    ```
    After: `%s` and `%p` are one generic (sin then mulf); `%r` stays a
    one-input reduction of it.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // MLAX_PASSES_TD
