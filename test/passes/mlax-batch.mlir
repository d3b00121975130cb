// RUN: mlax-opt %s -mlax-batch -split-input-file | FileCheck %s
// RUN: mlax-opt %s -mlax-autodiff -mlax-batch -split-input-file | FileCheck %s --check-prefix=COMPOSED

// mlax-batch replaces each mlax.batch @f with a call to a generated
// @f_batch<N>_<in axes>_to_<out axes> ("n": not batched) built from the
// rules in passes/batching/BatchRules.cpp, one case per op family.

// Elementwise family: work on shared operands stays unbatched (exp of %w
// once, not per example); a shared operand is broadcast only where an op
// meets a batched one; the 0-d shared predicate of select stays 0-d. The
// batch dimension stays where the operand had it (1) until the result is
// moved to its out-axis.
// CHECK-LABEL: func.func private @ew_batch8_1_n_n_to_0(
// CHECK-SAME:      %[[X:.*]]: tensor<3x8xf32>, %[[W:.*]]: tensor<3xf32>, %[[P:.*]]: tensor<i1>) -> tensor<8x3xf32>
// CHECK-SAME:      attributes {mlax.batched_from = @ew}
// CHECK:         %[[E:.*]] = mlax.exp %[[W]] : tensor<3xf32>
// CHECK:         %[[EB:.*]] = mlax.broadcast_in_dim %[[E]], dims = [0] : (tensor<3xf32>) -> tensor<3x8xf32>
// CHECK:         %[[M:.*]] = mlax.mul %[[X]], %[[EB]] : tensor<3x8xf32>
// CHECK:         %[[S:.*]] = mlax.select %[[P]], %[[M]], %[[X]] : tensor<i1>, tensor<3x8xf32>
// CHECK:         %[[T:.*]] = mlax.transpose %[[S]], perm = [1, 0]
// CHECK:         return %[[T]] : tensor<8x3xf32>
// CHECK-LABEL: func.func @elementwise(
// CHECK:         call @ew_batch8_1_n_n_to_0(%arg0, %arg1, %arg2)
// CHECK-NOT:     mlax.batch
func.func private @ew(%x: tensor<3xf32>, %w: tensor<3xf32>, %p: tensor<i1>) -> tensor<3xf32> {
  %0 = mlax.exp %w : tensor<3xf32>
  %1 = mlax.mul %x, %0 : tensor<3xf32>
  %2 = mlax.select %p, %1, %x : tensor<i1>, tensor<3xf32>
  return %2 : tensor<3xf32>
}
func.func @elementwise(%xs: tensor<3x8xf32>, %w: tensor<3xf32>, %p: tensor<i1>) -> tensor<8x3xf32> {
  %0 = mlax.batch @ew(%xs, %w, %p) in_axes = [1, -1, -1] out_axes = [0] size = 8 : (tensor<3x8xf32>, tensor<3xf32>, tensor<i1>) -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}

// -----

// Shape family: the transpose absorbs the move of the batch dimension to
// the front; rev, slice, concatenate and pad shift their dimension numbers
// around it (full range, no padding on the batch dimension).
// CHECK-LABEL: func.func private @shapes_batch5_1_to_0(
// CHECK:         %[[T:.*]] = mlax.transpose %arg0, perm = [1, 2, 0] : (tensor<2x5x3xf32>) -> tensor<5x3x2xf32>
// CHECK:         %[[R:.*]] = mlax.rev %[[T]], dims = [1] : tensor<5x3x2xf32>
// CHECK:         %[[S:.*]] = mlax.slice %[[R]], start = [0, 1, 0], limit = [5, 3, 2], strides = [1, 1, 1]
// CHECK:         %[[C:.*]] = mlax.concatenate(%[[S]], %[[T]]) dim = 1 : (tensor<5x2x2xf32>, tensor<5x3x2xf32>) -> tensor<5x5x2xf32>
// CHECK:         %[[P:.*]] = mlax.pad %[[C]], %{{.*}}, low = [0, 1, 0], high = [0, 0, 0], interior = [0, 0, 0]
// CHECK:         return %[[P]] : tensor<5x6x2xf32>
func.func private @shapes(%x: tensor<2x3xf32>) -> tensor<6x2xf32> {
  %0 = mlax.transpose %x, perm = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = mlax.rev %0, dims = [0] : tensor<3x2xf32>
  %2 = mlax.slice %1, start = [1, 0], limit = [3, 2], strides = [1, 1] : (tensor<3x2xf32>) -> tensor<2x2xf32>
  %3 = mlax.concatenate(%2, %0) dim = 0 : (tensor<2x2xf32>, tensor<3x2xf32>) -> tensor<5x2xf32>
  %c = mlax.constant dense<0.0> : tensor<f32>
  %4 = mlax.pad %3, %c, low = [1, 0], high = [0, 0], interior = [0, 0] : (tensor<5x2xf32>, tensor<f32>) -> tensor<6x2xf32>
  return %4 : tensor<6x2xf32>
}
func.func @shape_ops(%xs: tensor<2x5x3xf32>) -> tensor<5x6x2xf32> {
  %0 = mlax.batch @shapes(%xs) in_axes = [1] out_axes = [0] size = 5 : (tensor<2x5x3xf32>) -> tensor<5x6x2xf32>
  return %0 : tensor<5x6x2xf32>
}

// -----

// broadcast_in_dim and reshape take the batch dimension at the front.
// CHECK-LABEL: func.func private @bcast_batch7_1_to_0(
// CHECK:         %[[T:.*]] = mlax.transpose %arg0, perm = [1, 0] : (tensor<3x7xf32>) -> tensor<7x3xf32>
// CHECK:         %[[B:.*]] = mlax.broadcast_in_dim %[[T]], dims = [0, 2] : (tensor<7x3xf32>) -> tensor<7x2x3xf32>
// CHECK:         %[[R:.*]] = mlax.reshape %[[B]] : (tensor<7x2x3xf32>) -> tensor<7x6xf32>
// CHECK:         %[[B2:.*]] = mlax.broadcast_in_dim %[[R]], dims = [0, 2] : (tensor<7x6xf32>) -> tensor<7x4x6xf32>
// CHECK:         return %[[B2]]
func.func private @bcast(%x: tensor<3xf32>) -> tensor<4x6xf32> {
  %0 = mlax.broadcast_in_dim %x, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mlax.reshape %0 : (tensor<2x3xf32>) -> tensor<6xf32>
  %2 = mlax.broadcast_in_dim %1, dims = [1] : (tensor<6xf32>) -> tensor<4x6xf32>
  return %2 : tensor<4x6xf32>
}
func.func @broadcast_reshape(%xs: tensor<3x7xf32>) -> tensor<7x4x6xf32> {
  %0 = mlax.batch @bcast(%xs) in_axes = [1] out_axes = [0] size = 7 : (tensor<3x7xf32>) -> tensor<7x4x6xf32>
  return %0 : tensor<7x4x6xf32>
}

// -----

// Reductions renumber their axes around the batch dimension, which stays
// in place (no transpose before the reduction).
// CHECK-LABEL: func.func private @red_batch4_1_to_0_0(
// CHECK:         %[[S:.*]] = mlax.reduce_sum %arg0, axes = [0] : (tensor<2x4x3xf32>) -> tensor<4x3xf32>
// CHECK:         %[[A:.*]] = mlax.argmax %arg0, axis = 2 : (tensor<2x4x3xf32>) -> tensor<2x4xi32>
// CHECK:         %[[T:.*]] = mlax.transpose %[[A]], perm = [1, 0]
// CHECK:         return %[[S]], %[[T]]
func.func private @red(%x: tensor<2x3xf32>) -> (tensor<3xf32>, tensor<2xi32>) {
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<2x3xf32>) -> tensor<3xf32>
  %1 = mlax.argmax %x, axis = 1 : (tensor<2x3xf32>) -> tensor<2xi32>
  return %0, %1 : tensor<3xf32>, tensor<2xi32>
}
func.func @reductions(%xs: tensor<2x4x3xf32>) -> (tensor<4x3xf32>, tensor<4x2xi32>) {
  %0:2 = mlax.batch @red(%xs) in_axes = [1] out_axes = [0, 0] size = 4 : (tensor<2x4x3xf32>) -> (tensor<4x3xf32>, tensor<4x2xi32>)
  return %0#0, %0#1 : tensor<4x3xf32>, tensor<4x2xi32>
}

// -----

// dot_general: both operands batched -> one dot_general with a new batch
// dimension (no loop); only lhs batched -> the examples are a free lhs
// dimension, and the shared rhs is not broadcast.
// CHECK-LABEL: func.func private @mm_batch8_0_n_to_0(
// CHECK-SAME:      %{{.*}}: tensor<8x2x4xf32>, %{{.*}}: tensor<4x5xf32>)
// CHECK-NOT:     mlax.broadcast_in_dim
// CHECK:         mlax.dot_general %arg0, %arg1, batch = [] x [], contract = [2] x [0] : (tensor<8x2x4xf32>, tensor<4x5xf32>) -> tensor<8x2x5xf32>
// CHECK-LABEL: func.func private @mm_batch8_0_0_to_0(
// CHECK:         mlax.dot_general %arg0, %arg1, batch = [0] x [0], contract = [2] x [1] : (tensor<8x2x4xf32>, tensor<8x4x5xf32>) -> tensor<8x2x5xf32>
// CHECK-NOT:     mlax.batch
func.func private @mm(%x: tensor<2x4xf32>, %w: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = mlax.dot_general %x, %w, batch = [] x [], contract = [1] x [0] : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @matmul_both_batched(%xs: tensor<8x2x4xf32>, %ws: tensor<8x4x5xf32>) -> tensor<8x2x5xf32> {
  %0 = mlax.batch @mm(%xs, %ws) in_axes = [0, 0] out_axes = [0] size = 8 : (tensor<8x2x4xf32>, tensor<8x4x5xf32>) -> tensor<8x2x5xf32>
  return %0 : tensor<8x2x5xf32>
}
func.func @matmul_lhs_batched(%xs: tensor<8x2x4xf32>, %w: tensor<4x5xf32>) -> tensor<8x2x5xf32> {
  %0 = mlax.batch @mm(%xs, %w) in_axes = [0, -1] out_axes = [0] size = 8 : (tensor<8x2x4xf32>, tensor<4x5xf32>) -> tensor<8x2x5xf32>
  return %0 : tensor<8x2x5xf32>
}

// -----

// dynamic_slice: a shared start index slices the batch dimension whole from
// 0; per-example starts (in i64, so narrow index types cannot wrap; clamped
// as dynamic_slice clamps) select through a one-hot window: iota == start +
// offset, select, reduce_max over -inf.
// CHECK-LABEL: func.func private @ds_batch4_0_0_to_0(
// CHECK:         %[[S64:.*]] = mlax.convert %arg1 : (tensor<4xi32>) -> tensor<4xi64>
// CHECK:         %[[HI:.*]] = mlax.constant dense<4> : tensor<i64>
// CHECK:         %[[LO:.*]] = mlax.constant dense<0> : tensor<i64>
// CHECK:         %[[S:.*]] = mlax.clamp %[[LO]], %[[S64]], %[[HI]] : (tensor<i64>, tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
// CHECK:         %[[OFF:.*]] = mlax.iota dim = 1 : tensor<4x2x6xi64>
// CHECK:         %[[POS:.*]] = mlax.iota dim = 2 : tensor<4x2x6xi64>
// CHECK:         %[[SB:.*]] = mlax.broadcast_in_dim %[[S]], dims = [0]
// CHECK:         %[[WANT:.*]] = mlax.add %[[SB]], %[[OFF]]
// CHECK:         %[[HOT:.*]] = mlax.compare EQ, %[[POS]], %[[WANT]]
// CHECK:         %[[XB:.*]] = mlax.broadcast_in_dim %arg0, dims = [0, 2] : (tensor<4x6xf32>) -> tensor<4x2x6xf32>
// CHECK:         %[[NEGINF:.*]] = mlax.constant dense<0xFF800000> : tensor<4x2x6xf32>
// CHECK:         %[[SEL:.*]] = mlax.select %[[HOT]], %[[XB]], %[[NEGINF]]
// CHECK:         %[[R:.*]] = mlax.reduce_max %[[SEL]], axes = [2] : (tensor<4x2x6xf32>) -> tensor<4x2xf32>
// CHECK:         return %[[R]]
// CHECK-LABEL: func.func private @ds_batch4_0_n_to_0(
// CHECK:         %[[Z:.*]] = mlax.constant dense<0> : tensor<i32>
// CHECK:         mlax.dynamic_slice %arg0[%[[Z]], %arg1], sizes = [4, 2] : (tensor<4x6xf32>, tensor<i32>, tensor<i32>) -> tensor<4x2xf32>
func.func private @ds(%x: tensor<6xf32>, %i: tensor<i32>) -> tensor<2xf32> {
  %0 = mlax.dynamic_slice %x[%i], sizes = [2] : (tensor<6xf32>, tensor<i32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @dynamic_slice_shared_index(%xs: tensor<4x6xf32>, %i: tensor<i32>) -> tensor<4x2xf32> {
  %0 = mlax.batch @ds(%xs, %i) in_axes = [0, -1] out_axes = [0] size = 4 : (tensor<4x6xf32>, tensor<i32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
func.func @dynamic_slice_batched_index(%xs: tensor<4x6xf32>, %is: tensor<4xi32>) -> tensor<4x2xf32> {
  %0 = mlax.batch @ds(%xs, %is) in_axes = [0, 0] out_axes = [0] size = 4 : (tensor<4x6xf32>, tensor<4xi32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// vmap of grad: mlax-batch alone leaves the request, whose callee holds an
// mlax.vjp, for mlax-autodiff. After it (the COMPOSED run) the expanded
// derivative is batched: the shared %w stays unbatched until it meets a
// batched value, and each example gets its own gradient.
// CHECK-LABEL: func.func @per_example_grads(
// CHECK:         mlax.batch @grad(%arg0, %arg1) in_axes = [-1, 0] out_axes = [0] size = 5
// COMPOSED-LABEL: func.func private @loss_vjp_10_batch5_n_0_n_to_0_0(
// COMPOSED-SAME:      %[[W:.*]]: tensor<3xf32>, %[[X:.*]]: tensor<5x3xf32>, %[[CT:.*]]: tensor<f32>)
// COMPOSED:         %[[WB:.*]] = mlax.broadcast_in_dim %[[W]], dims = [1] : (tensor<3xf32>) -> tensor<5x3xf32>
// COMPOSED:         %[[P:.*]] = mlax.mul %[[WB]], %[[X]] : tensor<5x3xf32>
// COMPOSED:         %[[L:.*]] = mlax.reduce_sum %[[P]], axes = [1] : (tensor<5x3xf32>) -> tensor<5xf32>
// COMPOSED:         %[[C:.*]] = mlax.broadcast_in_dim %[[CT]], dims = [] : (tensor<f32>) -> tensor<3xf32>
// COMPOSED:         %[[CB:.*]] = mlax.broadcast_in_dim %[[C]], dims = [1] : (tensor<3xf32>) -> tensor<5x3xf32>
// COMPOSED:         %[[G:.*]] = mlax.mul %[[CB]], %[[X]] : tensor<5x3xf32>
// COMPOSED:         return %[[L]], %[[G]] : tensor<5xf32>, tensor<5x3xf32>
// COMPOSED-LABEL: func.func @per_example_grads(
// COMPOSED:         call @grad_batch5_n_0_to_0(%arg0, %arg1)
func.func private @loss(%w: tensor<3xf32>, %x: tensor<3xf32>) -> tensor<f32> {
  %0 = mlax.mul %w, %x : tensor<3xf32>
  %1 = mlax.reduce_sum %0, axes = [0] : (tensor<3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}
func.func private @grad(%w: tensor<3xf32>, %x: tensor<3xf32>) -> tensor<3xf32> {
  %one = mlax.constant dense<1.0> : tensor<f32>
  %0:2 = mlax.vjp @loss(%w, %x, %one) active = [true, false] : (tensor<3xf32>, tensor<3xf32>, tensor<f32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#1 : tensor<3xf32>
}
func.func @per_example_grads(%w: tensor<3xf32>, %xs: tensor<5x3xf32>) -> tensor<5x3xf32> {
  %0 = mlax.batch @grad(%w, %xs) in_axes = [-1, 0] out_axes = [0] size = 5 : (tensor<3xf32>, tensor<5x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

// Nested vmap: the inner request is expanded first; the outer one then
// batches the call to its result, passing the argument with its batch
// dimension where it is (1): the callee's sin runs on it in place.
// CHECK-LABEL: func.func private @inner_batch4_0_to_0(
// CHECK:         mlax.sin %arg0 : tensor<4x3xf32>
// CHECK-LABEL: func.func private @inner_batch4_0_to_0_batch2_1_to_0(
// CHECK:         %[[S:.*]] = mlax.sin %arg0 : tensor<4x2x3xf32>
// CHECK:         mlax.transpose %[[S]], perm = [1, 0, 2]
// CHECK-LABEL: func.func private @outer_batch2_1_to_0(
// CHECK-NOT:     mlax.transpose
// CHECK:         call @inner_batch4_0_to_0_batch2_1_to_0(%arg0)
// CHECK-LABEL: func.func @nested(
// CHECK:         call @outer_batch2_1_to_0(%arg0)
func.func private @inner(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.sin %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @outer(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @inner(%x) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
func.func @nested(%x: tensor<4x2x3xf32>) -> tensor<2x4x3xf32> {
  %0 = mlax.batch @outer(%x) in_axes = [1] out_axes = [0] size = 2 : (tensor<4x2x3xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// optimization_barrier: each value keeps its own batch dimension (or none).
// CHECK-LABEL: func.func private @barrier_batch4_1_n_to_0_0(
// CHECK:         %[[B:.*]]:2 = mlax.optimization_barrier %arg0, %arg1 : tensor<3x4xf32>, tensor<2xf32>
// CHECK:         %[[T:.*]] = mlax.transpose %[[B]]#0, perm = [1, 0]
// CHECK:         %[[S:.*]] = mlax.broadcast_in_dim %[[B]]#1, dims = [1] : (tensor<2xf32>) -> tensor<4x2xf32>
// CHECK:         return %[[T]], %[[S]]
func.func private @barrier(%x: tensor<3xf32>, %s: tensor<2xf32>) -> (tensor<3xf32>, tensor<2xf32>) {
  %0:2 = mlax.optimization_barrier %x, %s : tensor<3xf32>, tensor<2xf32>
  return %0#0, %0#1 : tensor<3xf32>, tensor<2xf32>
}
func.func @batched_barrier(%xs: tensor<3x4xf32>, %s: tensor<2xf32>) -> (tensor<4x3xf32>, tensor<4x2xf32>) {
  %0:2 = mlax.batch @barrier(%xs, %s) in_axes = [1, -1] out_axes = [0, 0] size = 4 : (tensor<3x4xf32>, tensor<2xf32>) -> (tensor<4x3xf32>, tensor<4x2xf32>)
  return %0#0, %0#1 : tensor<4x3xf32>, tensor<4x2xf32>
}

// -----

// A call's results that do not depend on a batched argument stay
// unbatched (out-axis -1 in the callee's name), so a shared computation in a
// checkpointed callee runs once.
// CHECK-LABEL: func.func private @pair_batch5_0_n_to_0_n(
// CHECK-SAME:      %arg0: tensor<5x2xf32>, %arg1: tensor<2xf32>) -> (tensor<5x2xf32>, tensor<2xf32>)
// CHECK:         mlax.sin %arg1 : tensor<2xf32>
// CHECK-LABEL: func.func private @use_batch5_0_n_to_0_0(
// CHECK:         %[[R:.*]]:2 = call @pair_batch5_0_n_to_0_n(%arg0, %arg1)
// CHECK:         mlax.broadcast_in_dim %[[R]]#1, dims = [1] : (tensor<2xf32>) -> tensor<5x2xf32>
func.func private @pair(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) attributes {mlax.remat} {
  %0 = mlax.mul %a, %b : tensor<2xf32>
  %1 = mlax.sin %b : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}
func.func private @use(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0:2 = call @pair(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}
func.func @natural_call_axes(%as: tensor<5x2xf32>, %b: tensor<2xf32>) -> (tensor<5x2xf32>, tensor<5x2xf32>) {
  %0:2 = mlax.batch @use(%as, %b) in_axes = [0, -1] out_axes = [0, 0] size = 5 : (tensor<5x2xf32>, tensor<2xf32>) -> (tensor<5x2xf32>, tensor<5x2xf32>)
  return %0#0, %0#1 : tensor<5x2xf32>, tensor<5x2xf32>
}

// -----

// vmap with axis_name (SpmdBatchRules.cpp): collectives over the vmapped
// axis work across the batch dimension: psum reduces it, axis_index is an
// iota, all_gather moves the batch dimension into place, ppermute shuffles
// the examples; the function name records the axis.
// CHECK-LABEL: func.func private @named_batch4_0_to_0_0_0_0_axis_v(
// CHECK-SAME:      %[[X:.*]]: tensor<4x3xf32>)
// CHECK:         %[[S:.*]] = mlax.reduce_sum %[[X]], axes = [0] : (tensor<4x3xf32>) -> tensor<3xf32>
// CHECK:         %[[I:.*]] = mlax.iota dim = 0 : tensor<4xi32>
// CHECK:         %[[Z:.*]] = mlax.constant dense<0.000000e+00> : tensor<1x3xf32>
// CHECK:         %[[R0:.*]] = mlax.slice %[[X]], start = [0, 0], limit = [1, 3]
// CHECK:         %[[P:.*]] = mlax.concatenate(%[[Z]], %[[R0]], {{.*}}) dim = 0
// CHECK:         %[[SB:.*]] = mlax.broadcast_in_dim %[[S]], dims = [1] : (tensor<3xf32>) -> tensor<4x3xf32>
// CHECK:         %[[G:.*]] = mlax.broadcast_in_dim %[[X]], dims = [1, 2] : (tensor<4x3xf32>) -> tensor<4x4x3xf32>
// CHECK:         return %[[SB]], %[[I]], %[[G]], %[[P]]
func.func private @named(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<i32>, tensor<4x3xf32>, tensor<3xf32>) {
  %0 = mlax.psum sum, %x over ["v"] sizes [4] : tensor<3xf32>
  %1 = mlax.axis_index over ["v"] sizes [4] : tensor<i32>
  %2 = mlax.all_gather %x over ["v"] sizes [4] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<4x3xf32>
  %3 = mlax.ppermute %x over ["v"] sizes [4] pairs = [0, 1, 1, 2, 2, 3] : tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<i32>, tensor<4x3xf32>, tensor<3xf32>
}
func.func @axis_name(%xs: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4xi32>, tensor<4x4x3xf32>, tensor<4x3xf32>) {
  %0:4 = mlax.batch @named(%xs) in_axes = [0] out_axes = [0, 0, 0, 0] size = 4 {axis_name = "v"} : (tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4xi32>, tensor<4x4x3xf32>, tensor<4x3xf32>)
  return %0#0, %0#1, %0#2, %0#3 : tensor<4x3xf32>, tensor<4xi32>, tensor<4x4x3xf32>, tensor<4x3xf32>
}

// -----

// psum_scatter and all_to_all over the vmapped axis; pmax reduces with max.
// CHECK-LABEL: func.func private @scatter_batch2_0_to_0_0_0_axis_v(
// CHECK:         %[[S:.*]] = mlax.reduce_sum %arg0, axes = [0] : (tensor<2x4x3xf32>) -> tensor<4x3xf32>
// CHECK:         mlax.reshape %[[S]] : (tensor<4x3xf32>) -> tensor<2x2x3xf32>
// CHECK:         mlax.reshape %arg0 : (tensor<2x4x3xf32>) -> tensor<2x2x2x3xf32>
// CHECK:         mlax.transpose {{.*}}, perm = [1, 0, 2, 3]
// CHECK:         mlax.reshape {{.*}} : (tensor<2x2x2x3xf32>) -> tensor<2x4x3xf32>
// CHECK:         mlax.reduce_max %arg0, axes = [0]
func.func private @scatter(%x: tensor<4x3xf32>) -> (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = mlax.psum_scatter %x over ["v"] sizes [2] dim = 0 tiled = true : (tensor<4x3xf32>) -> tensor<2x3xf32>
  %1 = mlax.all_to_all %x over ["v"] sizes [2] split = 0 concat = 0 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  %2 = mlax.psum max, %x over ["v"] sizes [2] : tensor<4x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
func.func @scatter_named(%xs: tensor<2x4x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>) {
  %0:3 = mlax.batch @scatter(%xs) in_axes = [0] out_axes = [0, 0, 0] size = 2 {axis_name = "v"} : (tensor<2x4x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x2x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>
}

// -----

// A collective over another axis (a pmap's) runs on the batched value; a
// shard_map batches its callee, the batch dimension replicated in front.
// CHECK-LABEL: func.func private @inner_batch3_0_to_0(
// CHECK:         mlax.psum sum, %arg0 over ["i"] sizes [2] : tensor<3x1x4xf32>
// CHECK-LABEL: func.func private @outer_batch3_0_to_0(
// CHECK:         mlax.shard_map @inner_batch3_0_to_0(%arg0) mesh = ["i"] shape = [2] in_specs = {{\[\[\[\], \["i"\], \[\]\]\]}} out_specs = {{\[\[\[\], \["i"\], \[\]\]\]}} : (tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
func.func private @inner(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
func.func private @outer(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = mlax.shard_map @inner(%x) mesh = ["i"] shape = [2] in_specs = [[["i"], []]] out_specs = [[["i"], []]] : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
func.func @vmap_of_pmap(%xs: tensor<3x2x4xf32>) -> tensor<3x2x4xf32> {
  %0 = mlax.batch @outer(%xs) in_axes = [0] out_axes = [0] size = 3 : (tensor<3x2x4xf32>) -> tensor<3x2x4xf32>
  return %0 : tensor<3x2x4xf32>
}

// -----

// Control flow (ControlFlowBatchRules.cpp): a cond with an unbatched index
// is a cond of the batched branches; a batched xs of a scan is scanned along
// its original axis with the batch moved second, the body batched.
// CHECK-LABEL: func.func private @cf_batch4_0_0_to_0_0(
// CHECK:         mlax.cond [@cfb0_batch4_0_to_0, @cfb1_batch4_0_to_0][%{{.*}}] (%arg0)
// CHECK:         mlax.scan @cfbody_batch4_{{.*}}(%{{.*}}, %{{.*}}) num_carry = 1 num_consts = 0 length = 3 reverse = false {unroll = 3 : i64} : (tensor<4xf32>, tensor<3x4xf32>) -> (tensor<4xf32>, tensor<3x4xf32>)
func.func private @cfb0(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.sin %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func private @cfb1(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func private @cfbody(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0 = mlax.add %c, %x : tensor<f32>
  return %0, %0 : tensor<f32>, tensor<f32>
}
func.func private @cf(%x: tensor<f32>, %xs: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>) {
  %i = mlax.constant dense<1> : tensor<i32>
  %0 = mlax.cond [@cfb0, @cfb1][%i](%x) : tensor<i32>, (tensor<f32>) -> tensor<f32>
  %1:2 = mlax.scan @cfbody(%0, %xs) num_carry = 1 num_consts = 0 length = 3 reverse = false {unroll = 3} : (tensor<f32>, tensor<3xf32>) -> (tensor<f32>, tensor<3xf32>)
  return %1#0, %1#1 : tensor<f32>, tensor<3xf32>
}
func.func @cf_vmap(%x: tensor<4xf32>, %xs: tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4x3xf32>) {
  %0:2 = mlax.batch @cf(%x, %xs) in_axes = [0, 0] out_axes = [0, 0] size = 4 : (tensor<4xf32>, tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4x3xf32>)
  return %0#0, %0#1 : tensor<4xf32>, tensor<4x3xf32>
}

// -----

// gather: a batched table only is one more dimension taken whole (the batch
// lands after the index batch dims, then moves to 0); batched ids only grow
// the index batch; both batched add an iota(n) index component on a new
// indexed dimension 0.
// CHECK-LABEL: func.func private @g_batch4_0_n_to_0(
// CHECK:         %[[G:.*]] = mlax.gather %arg0[%arg1] dims = [1] mode = clip : (tensor<4x5x3xf32>, tensor<2x1xi32>) -> tensor<2x4x3xf32>
// CHECK:         mlax.transpose %[[G]], perm = [1, 0, 2]
// CHECK-LABEL: func.func private @g_batch4_n_0_to_0(
// CHECK:         mlax.gather %arg0[%arg1] dims = [0] mode = clip : (tensor<5x3xf32>, tensor<4x2x1xi32>) -> tensor<4x2x3xf32>
// CHECK-LABEL: func.func private @g_batch4_0_0_to_0(
// CHECK:         %[[I:.*]] = mlax.iota dim = 0 : tensor<4x2x1xi32>
// CHECK:         %[[C:.*]] = mlax.concatenate(%[[I]], %arg1) dim = 2
// CHECK:         mlax.gather %arg0[%[[C]]] dims = [0, 1] mode = clip : (tensor<4x5x3xf32>, tensor<4x2x2xi32>) -> tensor<4x2x3xf32>
func.func private @g(%t: tensor<5x3xf32>, %i: tensor<2x1xi32>) -> tensor<2x3xf32> {
  %0 = mlax.gather %t[%i] dims = [0] mode = clip : (tensor<5x3xf32>, tensor<2x1xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
func.func @gather_both(%ts: tensor<4x5x3xf32>, %is: tensor<4x2x1xi32>) -> tensor<4x2x3xf32> {
  %0 = mlax.batch @g(%ts, %is) in_axes = [0, 0] out_axes = [0] size = 4 : (tensor<4x5x3xf32>, tensor<4x2x1xi32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}
func.func @gather_table_shared(%t: tensor<5x3xf32>, %is: tensor<4x2x1xi32>) -> tensor<4x2x3xf32> {
  %0 = mlax.batch @g(%t, %is) in_axes = [-1, 0] out_axes = [0] size = 4 : (tensor<5x3xf32>, tensor<4x2x1xi32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}
func.func @gather_ids_shared(%ts: tensor<4x5x3xf32>, %i: tensor<2x1xi32>) -> tensor<4x2x3xf32> {
  %0 = mlax.batch @g(%ts, %i) in_axes = [0, -1] out_axes = [0] size = 4 : (tensor<4x5x3xf32>, tensor<2x1xi32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// scatter: every operand batched at 0 (broadcast where shared) and the
// example number as a leading index component.
// CHECK-LABEL: func.func private @s_batch4_n_n_0_to_0(
// CHECK:         %[[X:.*]] = mlax.broadcast_in_dim %arg0, dims = [1] : (tensor<5xf32>) -> tensor<4x5xf32>
// CHECK:         %[[IB:.*]] = mlax.broadcast_in_dim %arg1, dims = [1, 2] : (tensor<2x1xi32>) -> tensor<4x2x1xi32>
// CHECK:         %[[I:.*]] = mlax.iota dim = 0 : tensor<4x2x1xi32>
// CHECK:         %[[C:.*]] = mlax.concatenate(%[[I]], %[[IB]]) dim = 2
// CHECK:         mlax.scatter add %[[X]][%[[C]]], %arg2 dims = [0, 1] mode = fill : (tensor<4x5xf32>, tensor<4x2x2xi32>, tensor<4x2xf32>) -> tensor<4x5xf32>
func.func private @s(%x: tensor<5xf32>, %i: tensor<2x1xi32>, %u: tensor<2xf32>) -> tensor<5xf32> {
  %0 = mlax.scatter add %x[%i], %u dims = [0] mode = fill : (tensor<5xf32>, tensor<2x1xi32>, tensor<2xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @scatter_updates(%x: tensor<5xf32>, %i: tensor<2x1xi32>, %us: tensor<4x2xf32>) -> tensor<4x5xf32> {
  %0 = mlax.batch @s(%x, %i, %us) in_axes = [-1, -1, 0] out_axes = [0] size = 4 : (tensor<5xf32>, tensor<2x1xi32>, tensor<4x2xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// sort: the batch goes first (an unbatched payload is broadcast) and the
// sorted dimension shifts by one; top_k: the batch goes first.
// CHECK-LABEL: func.func private @s_batch4_1_n_to_0(
// CHECK:         %[[T:.*]] = mlax.transpose %arg0, perm = [1, 0, 2]
// CHECK:         %[[B:.*]] = mlax.broadcast_in_dim %arg1
// CHECK:         mlax.sort %[[T]], %[[B]] dimension = 2 num_keys = 1 : (tensor<4x2x5xf32>, tensor<4x2x5xi32>) -> (tensor<4x2x5xf32>, tensor<4x2x5xi32>)
// CHECK-LABEL: func.func private @t_batch4_1_to_0(
// CHECK:         mlax.top_k %{{.*}} k = 2 : (tensor<4x5xf32>) -> (tensor<4x2xf32>, tensor<4x2xi32>)
func.func private @s(%x: tensor<2x5xf32>, %p: tensor<2x5xi32>) -> tensor<2x5xi32> {
  %0:2 = mlax.sort %x, %p dimension = 1 num_keys = 1 : (tensor<2x5xf32>, tensor<2x5xi32>) -> (tensor<2x5xf32>, tensor<2x5xi32>)
  return %0#1 : tensor<2x5xi32>
}
func.func @sort_keys_batched(%xs: tensor<2x4x5xf32>, %p: tensor<2x5xi32>) -> tensor<4x2x5xi32> {
  %0 = mlax.batch @s(%xs, %p) in_axes = [1, -1] out_axes = [0] size = 4 : (tensor<2x4x5xf32>, tensor<2x5xi32>) -> tensor<4x2x5xi32>
  return %0 : tensor<4x2x5xi32>
}
func.func private @t(%x: tensor<5xf32>) -> tensor<2xi32> {
  %v, %i = mlax.top_k %x k = 2 : (tensor<5xf32>) -> (tensor<2xf32>, tensor<2xi32>)
  return %i : tensor<2xi32>
}
func.func @top_k_batched(%xs: tensor<5x4xf32>) -> tensor<4x2xi32> {
  %0 = mlax.batch @t(%xs) in_axes = [1] out_axes = [0] size = 4 : (tensor<5x4xf32>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// cumsum: the batch dimension stays where it is, the axis shifts past it.
// CHECK-LABEL: func.func private @c_batch3_0_to_0(
// CHECK:         mlax.cumsum %arg0 axis = 2 reverse = false : tensor<3x2x5xf32>
func.func private @c(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = mlax.cumsum %x axis = 1 reverse = false : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @cumsum_batched(%xs: tensor<3x2x5xf32>) -> tensor<3x2x5xf32> {
  %0 = mlax.batch @c(%xs) in_axes = [0] out_axes = [0] size = 3 : (tensor<3x2x5xf32>) -> tensor<3x2x5xf32>
  return %0 : tensor<3x2x5xf32>
}

// -----

// cumprod, cummax, cummin, cumlogsumexp: the same (a batch at 1 shifts an
// axis at 1 to 2, leaves an axis at 0).
// CHECK-LABEL: func.func private @cums_batch3_1_to_1_1_1_1(
// CHECK:         mlax.cumprod %arg0 axis = 2 reverse = false : tensor<2x3x5xf32>
// CHECK:         mlax.cummax %arg0 axis = 0 reverse = true : tensor<2x3x5xf32>
// CHECK:         mlax.cummin %arg0 axis = 2 reverse = false : tensor<2x3x5xf32>
// CHECK:         mlax.cumlogsumexp %arg0 axis = 0 reverse = false : tensor<2x3x5xf32>
func.func private @cums(%x: tensor<2x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>) {
  %0 = mlax.cumprod %x axis = 1 reverse = false : tensor<2x5xf32>
  %1 = mlax.cummax %x axis = 0 reverse = true : tensor<2x5xf32>
  %2 = mlax.cummin %x axis = 1 reverse = false : tensor<2x5xf32>
  %3 = mlax.cumlogsumexp %x axis = 0 reverse = false : tensor<2x5xf32>
  return %0, %1, %2, %3 : tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x5xf32>
}
func.func @cums_batched(%xs: tensor<2x3x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>) {
  %0:4 = mlax.batch @cums(%xs) in_axes = [1] out_axes = [1, 1, 1, 1] size = 3 : (tensor<2x3x5xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>)
  return %0#0, %0#1, %0#2, %0#3 : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x5xf32>
}

// -----

// host_callback, as JAX batches callbacks: debug (and sequential pure) once
// per example, in order: a scan over the batched operands (the unbatched
// ones its consts) whose body calls the callback, results stacked;
// expand_dims: one call, an unbatched operand with a size-1 batch
// dimension; broadcast_all: one call, broadcast operands.
// CHECK-LABEL: func.func private @dbg_batch2_0_n_to
// CHECK:         mlax.scan @[[DBG:host_callback_example[_0-9]*]](%arg0, %arg1) num_carry = 0 num_consts = 1 length = 2 reverse = false : (tensor<2x3xf32>, tensor<i32>) -> ()
// CHECK-LABEL: func.func private @seq_batch2_0_to_0(
// CHECK:         mlax.scan @[[SEQ:host_callback_example[_0-9]*]](%arg0) num_carry = 0 num_consts = 0 length = 2 reverse = false : (tensor<2x3xf32>) -> tensor<2xf32>
// CHECK-LABEL: func.func private @exp_batch2_0_n_to_0(
// CHECK:         %[[U:.*]] = mlax.reshape %arg1 : (tensor<i32>) -> tensor<1xi32>
// CHECK:         mlax.host_callback pure 2 (%arg0, %[[U]]) vmap = expand_dims : (tensor<2x3xf32>, tensor<1xi32>) -> tensor<2xf32>
// CHECK-LABEL: func.func private @bc_batch2_0_n_to_0(
// CHECK:         %[[B:.*]] = mlax.broadcast_in_dim %arg1
// CHECK:         mlax.host_callback pure 3 (%arg0, %[[B]]) vmap = broadcast_all : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2xf32>
// CHECK:       func.func private @[[DBG]](%arg0: tensor<3xf32>, %arg1: tensor<i32>) {
// CHECK-NEXT:    mlax.host_callback debug 0 (%arg0, %arg1) vmap = none : (tensor<3xf32>, tensor<i32>) -> ()
// CHECK:       func.func private @[[SEQ]](%arg0: tensor<3xf32>) -> tensor<f32> {
// CHECK-NEXT:    mlax.host_callback pure 1 (%arg0) vmap = sequential : (tensor<3xf32>) -> tensor<f32>
func.func private @dbg(%x: tensor<3xf32>, %n: tensor<i32>) {
  mlax.host_callback debug 0 (%x, %n) vmap = none : (tensor<3xf32>, tensor<i32>) -> ()
  return
}
func.func @debug_batched(%xs: tensor<2x3xf32>, %n: tensor<i32>) {
  mlax.batch @dbg(%xs, %n) in_axes = [0, -1] out_axes = [] size = 2 : (tensor<2x3xf32>, tensor<i32>) -> ()
  return
}
func.func private @seq(%x: tensor<3xf32>) -> tensor<f32> {
  %0 = mlax.host_callback pure 1 (%x) vmap = sequential : (tensor<3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @sequential_batched(%xs: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = mlax.batch @seq(%xs) in_axes = [0] out_axes = [0] size = 2 : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @exp(%x: tensor<3xf32>, %n: tensor<i32>) -> tensor<f32> {
  %0 = mlax.host_callback pure 2 (%x, %n) vmap = expand_dims : (tensor<3xf32>, tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @expand_dims_batched(%xs: tensor<2x3xf32>, %n: tensor<i32>) -> tensor<2xf32> {
  %0 = mlax.batch @exp(%xs, %n) in_axes = [0, -1] out_axes = [0] size = 2 : (tensor<2x3xf32>, tensor<i32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @bc(%x: tensor<3xf32>, %n: tensor<i32>) -> tensor<f32> {
  %0 = mlax.host_callback pure 3 (%x, %n) vmap = broadcast_all : (tensor<3xf32>, tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @broadcast_all_batched(%xs: tensor<2x3xf32>, %n: tensor<i32>) -> tensor<2xf32> {
  %0 = mlax.batch @bc(%xs, %n) in_axes = [0, -1] out_axes = [0] size = 2 : (tensor<2x3xf32>, tensor<i32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
