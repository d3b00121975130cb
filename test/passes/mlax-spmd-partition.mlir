// RUN: mlax-opt %s -mlax-sharding-propagation -mlax-spmd-partition -split-input-file | FileCheck %s

// mlax-spmd-partition: each SPMD function becomes the per-device program:
// block types, and collectives only where shardings disagree.

// Elementwise chain on row blocks: local shapes, no collective.
// CHECK-LABEL: module attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>}
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME:      %arg0: tensor<4x6xf32> {mlax.sharding = {{\[\[}}"x"], []]}) -> (tensor<4x6xf32> {mlax.sharding = {{\[\[}}"x"], []]})
// CHECK-SAME:      mlax.partitioned
// CHECK-NOT:     mlax.psum
// CHECK-NOT:     mlax.all_gather
// CHECK:         %[[E:.*]] = mlax.exp %arg0 : tensor<4x6xf32>
// CHECK:         %[[C:.*]] = mlax.constant dense<2.000000e+00> : tensor<4x6xf32>
// CHECK:         mlax.mul %[[E]], %[[C]] : tensor<4x6xf32>
func.func @elementwise(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.exp %x : tensor<8x6xf32>
  %c = mlax.constant dense<2.0> : tensor<8x6xf32>
  %1 = mlax.mul %0, %c : tensor<8x6xf32>
  return %1 : tensor<8x6xf32>
}

// -----

// A splat constant (and a broadcast scalar) shared by ops of different
// shardings is built again at each block shape, never resharded.
// CHECK-LABEL: func.func @shared_constant(
// CHECK-NOT:     mlax.all_to_all
// CHECK-NOT:     mlax.all_gather
// CHECK-DAG:     mlax.constant dense<2.000000e+00> : tensor<2x4xf32>
// CHECK-DAG:     mlax.constant dense<2.000000e+00> : tensor<4x2xf32>
// CHECK-DAG:     mlax.broadcast_in_dim %{{.*}}, dims = [] : (tensor<f32>) -> tensor<2x4xf32>
// CHECK-DAG:     mlax.broadcast_in_dim %{{.*}}, dims = [] : (tensor<f32>) -> tensor<4x2xf32>
// CHECK:         return
func.func @shared_constant(%a: tensor<4x4xf32> {mlax.sharding = [["x"], []]}, %b: tensor<4x4xf32> {mlax.sharding = [[], ["x"]]}) -> (tensor<4x4xf32> {mlax.sharding = [["x"], []]}, tensor<4x4xf32> {mlax.sharding = [[], ["x"]]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %c = mlax.constant dense<2.0> : tensor<4x4xf32>
  %s = mlax.constant dense<3.0> : tensor<f32>
  %k = mlax.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<4x4xf32>
  %0 = mlax.mul %a, %c : tensor<4x4xf32>
  %1 = mlax.mul %b, %c : tensor<4x4xf32>
  %2 = mlax.add %0, %k : tensor<4x4xf32>
  %3 = mlax.add %1, %k : tensor<4x4xf32>
  return %2, %3 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// Matmuls: rows split (no collective), columns split (no collective),
// contracting dimension split (a psum of the partial products).
// CHECK-LABEL: func.func @rows(
// CHECK-NOT:     mlax.psum
// CHECK:         mlax.dot_general {{.*}} : (tensor<4x4xf32>, tensor<4x6xf32>) -> tensor<4x6xf32>
// CHECK-NOT:     mlax.psum
// CHECK:         return
func.func @rows(%a: tensor<8x4xf32> {mlax.sharding = [["x"], []]}, %b: tensor<4x6xf32>) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<8x4xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}
// CHECK-LABEL: func.func @columns(
// CHECK:         mlax.dot_general {{.*}} : (tensor<8x4xf32>, tensor<4x3xf32>) -> tensor<8x3xf32>
// CHECK-NOT:     mlax.psum
// CHECK:         return
func.func @columns(%a: tensor<8x4xf32>, %b: tensor<4x6xf32> {mlax.sharding = [[], ["x"]]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<8x4xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}
// CHECK-LABEL: func.func @contracting(
// CHECK:         %[[D:.*]] = mlax.dot_general {{.*}} : (tensor<8x2xf32>, tensor<2x6xf32>) -> tensor<8x6xf32>
// CHECK:         %[[S:.*]] = mlax.psum sum, %[[D]] over ["x"] sizes [2] : tensor<8x6xf32>
// CHECK:         return %[[S]]
func.func @contracting(%a: tensor<8x4xf32> {mlax.sharding = [[], ["x"]]}, %b: tensor<4x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<8x4xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// -----

// A contracting dimension split on one side only: the other side is cut
// to match (dynamic_slice at axis_index), then partial sums are psum'med.
// CHECK-LABEL: func.func @one_sided(
// CHECK:         %[[I:.*]] = mlax.axis_index over ["x"] sizes [2] : tensor<i32>
// CHECK:         %[[B:.*]] = mlax.dynamic_slice %arg1[{{.*}}], sizes = [2, 6]
// CHECK:         %[[D:.*]] = mlax.dot_general %arg0, %[[B]]
// CHECK:         mlax.psum sum, %[[D]] over ["x"] sizes [2] : tensor<8x6xf32>
func.func @one_sided(%a: tensor<8x4xf32> {mlax.sharding = [[], ["x"]]}, %b: tensor<4x6xf32>) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<8x4xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// -----

// Reductions over a split dimension: a local reduction, then the matching
// collective (psum for sum, pmax for max); prod gathers first.
// CHECK-LABEL: func.func @reductions(
// CHECK:         %[[S:.*]] = mlax.reduce_sum %arg0, axes = [0] : (tensor<2x6xf32>) -> tensor<6xf32>
// CHECK:         mlax.psum sum, %[[S]] over ["x"] sizes [4] : tensor<6xf32>
// CHECK:         %[[M:.*]] = mlax.reduce_max %arg0, axes = [0] : (tensor<2x6xf32>) -> tensor<6xf32>
// CHECK:         mlax.psum max, %[[M]] over ["x"] sizes [4] : tensor<6xf32>
// CHECK:         %[[G:.*]] = mlax.all_gather %arg0 over ["x"] sizes [4] dim = 0 tiled = true : (tensor<2x6xf32>) -> tensor<8x6xf32>
// CHECK:         mlax.reduce_prod %[[G]], axes = [0] : (tensor<8x6xf32>) -> tensor<6xf32>
func.func @reductions(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> (tensor<6xf32>, tensor<6xf32>, tensor<6xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 4>} {
  %0 = mlax.reduce_sum %x, axes = [0] : (tensor<8x6xf32>) -> tensor<6xf32>
  %1 = mlax.reduce_max %x, axes = [0] : (tensor<8x6xf32>) -> tensor<6xf32>
  %2 = mlax.reduce_prod %x, axes = [0] : (tensor<8x6xf32>) -> tensor<6xf32>
  return %0, %1, %2 : tensor<6xf32>, tensor<6xf32>, tensor<6xf32>
}

// -----

// Resharding: an axis moving whole between dimensions is one all_to_all;
// a split dimension needed whole (a slice of it) is gathered; a result
// wanted split is cut locally.
// CHECK-LABEL: func.func @move_axis(
// CHECK:         mlax.all_to_all %arg0 over ["x"] sizes [2] split = 1 concat = 0 : (tensor<2x8xf32>) -> tensor<4x4xf32>
func.func @move_axis(%a: tensor<4x8xf32> {mlax.sharding = [["x"], []]}) -> (tensor<4x8xf32> {mlax.sharding = [[], ["x"]]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  return %a : tensor<4x8xf32>
}
// CHECK-LABEL: func.func @slice_of_split(
// CHECK:         %[[G:.*]] = mlax.all_gather %arg0 over ["x"] sizes [2] dim = 0 tiled = true : (tensor<4x6xf32>) -> tensor<8x6xf32>
// CHECK:         mlax.slice %[[G]], start = [1, 0], limit = [5, 6]
func.func @slice_of_split(%a: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<4x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.slice %a, start = [1, 0], limit = [5, 6], strides = [1, 1] : (tensor<8x6xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
// -----

// CHECK-LABEL: func.func @cut_result(
// CHECK-SAME:      -> (tensor<2x6xf32> {mlax.sharding = {{\[\[}}"x", "y"], []]})
// CHECK:         %[[I:.*]] = mlax.axis_index over ["x", "y"] sizes [2, 2] : tensor<i32>
// CHECK:         mlax.dynamic_slice %arg0[{{.*}}], sizes = [2, 6]
// CHECK-NOT:     mlax.all_gather
func.func @cut_result(%a: tensor<8x6xf32> {mlax.sharding = [[], []]}) -> (tensor<8x6xf32> {mlax.sharding = [["x", "y"], []]}) attributes {mlax.mesh_axes = ["x", "y"], mlax.mesh_shape = array<i64: 2, 2>} {
  return %a : tensor<8x6xf32>
}

// -----

// shard_map: operands resharded to the in_specs, the callee called on
// blocks; its collectives stay inside it.
// CHECK-LABEL: func.func private @body(
// CHECK:         mlax.psum sum
// CHECK-LABEL: func.func @pmap_like(
// CHECK-SAME:      %arg0: tensor<1x3xf32> {mlax.sharding = {{\[\[}}"i"], []]}
// CHECK:         %[[R:.*]] = call @body(%arg0) : (tensor<1x3xf32>) -> tensor<1x3xf32>
// CHECK:         return %[[R]]
func.func private @body(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = mlax.psum sum, %x over ["i"] sizes [4] : tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}
func.func @pmap_like(%x: tensor<4x3xf32>) -> tensor<4x3xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 4>} {
  %0 = mlax.shard_map @body(%x) mesh = ["i"] shape = [4] in_specs = [[["i"], []]] out_specs = [[["i"], []]] : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// An op without a rule (a call) runs on whole values: its split operand is
// gathered first.
// CHECK-LABEL: func.func @no_rule(
// CHECK:         %[[G:.*]] = mlax.all_gather %arg0 over ["x"] sizes [2] dim = 0 tiled = true
// CHECK:         call @helper(%[[G]]) : (tensor<4xf32>) -> tensor<4xf32>
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @no_rule(%x: tensor<4xf32> {mlax.sharding = [["x"]]}) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = func.call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An embedding table split along its rows: each device clamps the ids
// globally, shifts them by its block start (axis_index * 4), reads the rows
// in its block (others fill 0) and a psum adds the blocks. A scatter into
// the split table keeps the split: each device drops the updates outside
// its block.
// CHECK-LABEL: func.func @lookup(
// CHECK:         %[[I:.*]] = mlax.axis_index over ["x"]
// CHECK:         mlax.max
// CHECK:         mlax.min
// CHECK:         %[[L:.*]] = mlax.sub
// CHECK:         %[[G:.*]] = mlax.gather %arg0[%[[L]]] dims = [0] mode = fill {fill_value = 0.000000e+00 : f32} : (tensor<4x3xf32>, tensor<5x1xi64>) -> tensor<5x3xf32>
// CHECK:         mlax.psum sum, %[[G]] over ["x"]
func.func @lookup(%t: tensor<8x3xf32> {mlax.sharding = [["x"], []]}, %i: tensor<5x1xi32>) -> tensor<5x3xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.gather %t[%i] dims = [0] mode = promise_in_bounds : (tensor<8x3xf32>, tensor<5x1xi32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}
// CHECK-LABEL: func.func @update(
// CHECK:         mlax.axis_index over ["x"]
// CHECK-NOT:     mlax.max
// CHECK:         %[[L:.*]] = mlax.sub
// CHECK:         mlax.scatter add %arg0[%[[L]]], %arg2 dims = [0] mode = fill : (tensor<4x3xf32>, tensor<5x1xi64>, tensor<5x3xf32>) -> tensor<4x3xf32>
// CHECK-NOT:     mlax.all_gather
// CHECK:         return
func.func @update(%t: tensor<8x3xf32> {mlax.sharding = [["x"], []]}, %i: tensor<5x1xi32>, %u: tensor<5x3xf32>) -> (tensor<8x3xf32> {mlax.sharding = [["x"], []]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.scatter add %t[%i], %u dims = [0] mode = fill : (tensor<8x3xf32>, tensor<5x1xi32>, tensor<5x3xf32>) -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}

// -----

// sort, top_k and cumsum along an unsplit dimension keep the split of the
// others; sort along a split one is gathered first.
// CHECK-LABEL: func.func @sort_rows(
// CHECK-NOT:     mlax.all_gather
// CHECK:         mlax.sort %arg0 dimension = 1 num_keys = 1 : (tensor<4x6xf32>) -> tensor<4x6xf32>
// CHECK:         mlax.top_k %{{.*}} k = 2 : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xi32>)
// CHECK:         mlax.cumsum %{{.*}} axis = 1 reverse = false : tensor<4x6xf32>
// CHECK-NOT:     mlax.all_gather
// CHECK:         return
func.func @sort_rows(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> (tensor<8x6xf32>, tensor<8x2xf32>, tensor<8x6xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.sort %x dimension = 1 num_keys = 1 : (tensor<8x6xf32>) -> tensor<8x6xf32>
  %v, %i = mlax.top_k %0 k = 2 : (tensor<8x6xf32>) -> (tensor<8x2xf32>, tensor<8x2xi32>)
  %1 = mlax.cumsum %0 axis = 1 reverse = false : tensor<8x6xf32>
  return %0, %v, %1 : tensor<8x6xf32>, tensor<8x2xf32>, tensor<8x6xf32>
}
// CHECK-LABEL: func.func @sort_split(
// CHECK:         mlax.all_gather %arg0
// CHECK:         mlax.sort %{{.*}} dimension = 0 num_keys = 1 : (tensor<8x6xf32>) -> tensor<8x6xf32>
func.func @sort_split(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.sort %x dimension = 0 num_keys = 1 : (tensor<8x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// cumprod, cummax, cummin, cumlogsumexp as cumsum: rows kept split along
// an unsplit axis.
// CHECK-LABEL: func.func @cumulative_rows(
// CHECK-NOT:     mlax.all_gather
// CHECK:         mlax.cumprod %arg0 axis = 1 reverse = false : tensor<4x6xf32>
// CHECK:         mlax.cummax %{{.*}} axis = 1 reverse = true : tensor<4x6xf32>
// CHECK:         mlax.cummin %{{.*}} axis = 1 reverse = false : tensor<4x6xf32>
// CHECK:         mlax.cumlogsumexp %{{.*}} axis = 1 reverse = false : tensor<4x6xf32>
// CHECK-NOT:     mlax.all_gather
// CHECK:         return
func.func @cumulative_rows(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.cumprod %x axis = 1 reverse = false : tensor<8x6xf32>
  %1 = mlax.cummax %0 axis = 1 reverse = true : tensor<8x6xf32>
  %2 = mlax.cummin %1 axis = 1 reverse = false : tensor<8x6xf32>
  %3 = mlax.cumlogsumexp %2 axis = 1 reverse = false : tensor<8x6xf32>
  return %3 : tensor<8x6xf32>
}
// Along the split axis, cumsum/cumprod/cummax/cummin scan each block, then
// add (multiply, ...) the scan of the gathered block totals from the
// preceding block (the following one when reversed); cumlogsumexp gathers.
// CHECK-LABEL: func.func @cumulative_split(
// CHECK-NOT:     mlax.all_gather %arg0
// CHECK:         %[[LOCAL:.*]] = mlax.cumprod %arg0 axis = 0 reverse = true : tensor<4x6xf32>
// CHECK:         %[[TOTAL:.*]] = mlax.slice %[[LOCAL]], start = [0, 0], limit = [1, 6], strides = [1, 1]
// CHECK:         %[[TOTALS:.*]] = mlax.all_gather %[[TOTAL]] over ["x"] sizes [2] dim = 0 tiled = true : (tensor<1x6xf32>) -> tensor<2x6xf32>
// CHECK:         %[[SCANNED:.*]] = mlax.cumprod %[[TOTALS]] axis = 0 reverse = true : tensor<2x6xf32>
// CHECK:         %[[I:.*]] = mlax.axis_index over ["x"]
// CHECK:         mlax.min
// CHECK:         mlax.dynamic_slice %[[SCANNED]]
// CHECK:         %[[CARRIED:.*]] = mlax.mul %[[LOCAL]], %{{.*}} : tensor<4x6xf32>
// CHECK:         mlax.compare EQ, %[[I]]
// CHECK:         mlax.select %{{.*}}, %[[LOCAL]], %[[CARRIED]] : tensor<4x6xi1>, tensor<4x6xf32>
// CHECK-LABEL: func.func @cumlogsumexp_split(
// CHECK:         mlax.all_gather %arg0
// CHECK:         mlax.cumlogsumexp %{{.*}} axis = 0 reverse = false : tensor<8x6xf32>
func.func @cumulative_split(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> (tensor<8x6xf32> {mlax.sharding = [["x"], []]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.cumprod %x axis = 0 reverse = true : tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}
func.func @cumlogsumexp_split(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.cumlogsumexp %x axis = 0 reverse = false : tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// -----

// host_callback replicates its operands (the host function sees whole
// arrays) and its results.
// CHECK-LABEL: func.func @callback_split(
// CHECK:         %[[G:.*]] = mlax.all_gather %arg0
// CHECK:         mlax.host_callback pure 0 (%[[G]]) vmap = none : (tensor<8x6xf32>) -> tensor<8x6xf32>
func.func @callback_split(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.host_callback pure 0 (%x) vmap = none : (tensor<8x6xf32>) -> tensor<8x6xf32>
  return %0 : tensor<8x6xf32>
}

// -----

// A while loop with a row-split carry: cond and body are partitioned
// clones taking and returning blocks (the carry keeps its sharding across
// iterations); nothing is gathered.
// CHECK-LABEL: func.func private @cond_spmd(
// CHECK-SAME:      %arg0: tensor<4x4xf32> {mlax.sharding = {{\[\[}}"x"], []]}
// CHECK-SAME:      -> (tensor<i1> {mlax.sharding = []})
// CHECK-LABEL: func.func private @body_spmd(
// CHECK-SAME:      -> (tensor<4x4xf32> {mlax.sharding = {{\[\[}}"x"], []]}, tensor<i32> {mlax.sharding = []})
// CHECK:         mlax.mul %arg0, %{{.*}} : tensor<4x4xf32>
// CHECK-LABEL: func.func @train(
// CHECK-NOT:     mlax.all_gather
// CHECK:         mlax.while @cond_spmd, @body_spmd(%arg0, %{{.*}}, %arg1) num_consts = 1 : (tensor<4x4xf32>, tensor<i32>, tensor<i32>) -> (tensor<4x4xf32>, tensor<i32>)
// CHECK-NOT:     mlax.all_gather
// CHECK:         return
func.func private @cond(%w: tensor<8x4xf32>, %i: tensor<i32>, %n: tensor<i32>) -> tensor<i1> {
  %0 = mlax.compare LT, %i, %n : (tensor<i32>, tensor<i32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @body(%w: tensor<8x4xf32>, %i: tensor<i32>, %n: tensor<i32>) -> (tensor<8x4xf32>, tensor<i32>) {
  %c = mlax.constant dense<0.5> : tensor<8x4xf32>
  %0 = mlax.mul %w, %c : tensor<8x4xf32>
  %one = mlax.constant dense<1> : tensor<i32>
  %1 = mlax.add %i, %one : tensor<i32>
  return %0, %1 : tensor<8x4xf32>, tensor<i32>
}
func.func @train(%w: tensor<8x4xf32> {mlax.sharding = [["x"], []]}, %n: tensor<i32>) -> tensor<8x4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %zero = mlax.constant dense<0> : tensor<i32>
  %r:2 = mlax.while @cond, @body(%w, %zero, %n) num_consts = 1 : (tensor<8x4xf32>, tensor<i32>, tensor<i32>) -> (tensor<8x4xf32>, tensor<i32>)
  return %r#0 : tensor<8x4xf32>
}

// -----

// An RNN scan over a batch-split hidden state and xs split along the batch
// (not the scanned) dimension: the body runs on blocks, and its reduction
// to a per-step scalar psums inside the loop.
// CHECK-LABEL: func.func private @step_spmd(
// CHECK-SAME:      %arg0: tensor<2x6xf32> {mlax.sharding = {{\[\[}}"x"], []]}, %arg1: tensor<2x6xf32> {mlax.sharding = {{\[\[}}"x"], []]}, %arg2: tensor<6x6xf32> {mlax.sharding = {{\[\[}}], []]}
// CHECK:         mlax.dot_general %arg0, %arg2, {{.*}} -> tensor<2x6xf32>
// CHECK:         mlax.psum sum, %{{.*}} over ["x"] sizes [2] : tensor<f32>
// CHECK-LABEL: func.func @rnn(
// CHECK-NOT:     mlax.all_gather
// CHECK:         mlax.scan @step_spmd(%arg0, %arg1, %arg2) {{.*}} : (tensor<2x6xf32>, tensor<5x2x6xf32>, tensor<6x6xf32>) -> (tensor<2x6xf32>, tensor<5xf32>)
func.func private @step(%h: tensor<4x6xf32>, %x: tensor<4x6xf32>, %w: tensor<6x6xf32>) -> (tensor<4x6xf32>, tensor<f32>) {
  %0 = mlax.dot_general %h, %w, batch = [] x [], contract = [1] x [0] : (tensor<4x6xf32>, tensor<6x6xf32>) -> tensor<4x6xf32>
  %1 = mlax.add %0, %x : tensor<4x6xf32>
  %2 = mlax.tanh %1 : tensor<4x6xf32>
  %3 = mlax.reduce_sum %2, axes = [0, 1] : (tensor<4x6xf32>) -> tensor<f32>
  return %2, %3 : tensor<4x6xf32>, tensor<f32>
}
func.func @rnn(%h: tensor<4x6xf32> {mlax.sharding = [["x"], []]}, %xs: tensor<5x4x6xf32> {mlax.sharding = [[], ["x"], []]}, %w: tensor<6x6xf32>) -> (tensor<4x6xf32>, tensor<5xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %r:2 = mlax.scan @step(%h, %xs, %w) num_carry = 1 num_consts = 1 length = 5 reverse = false : (tensor<4x6xf32>, tensor<5x4x6xf32>, tensor<6x6xf32>) -> (tensor<4x6xf32>, tensor<5xf32>)
  return %r#0, %r#1 : tensor<4x6xf32>, tensor<5xf32>
}

// -----

// xs split along the scanned dimension are gathered whole first (each
// iteration reads one row of every device's block).
// CHECK-LABEL: func.func @scan_split_rows(
// CHECK:         %[[X:.*]] = mlax.all_gather %arg0 over ["x"] sizes [2] dim = 0 tiled = true : (tensor<2x3xf32>) -> tensor<4x3xf32>
// CHECK:         mlax.scan @row_spmd(%{{.*}}, %[[X]])
func.func private @row(%c: tensor<3xf32>, %x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = mlax.add %c, %x : tensor<3xf32>
  return %0, %0 : tensor<3xf32>, tensor<3xf32>
}
func.func @scan_split_rows(%xs: tensor<4x3xf32> {mlax.sharding = [["x"], []]}) -> tensor<4x3xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %z = mlax.constant dense<0.0> : tensor<3xf32>
  %r:2 = mlax.scan @row(%z, %xs) num_carry = 1 num_consts = 0 length = 4 reverse = false : (tensor<3xf32>, tensor<4x3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>)
  return %r#1 : tensor<4x3xf32>
}

// -----

// A cond on a split operand: every branch is partitioned, returning the
// sharding the first branch's propagation chose; a branch's reduction
// psums inside it.
// CHECK-LABEL: func.func private @neg_spmd(
// CHECK-SAME:      -> (tensor<4xf32> {mlax.sharding = {{\[\[}}"x"]]})
// CHECK-LABEL: func.func private @scale_spmd(
// CHECK-SAME:      -> (tensor<4xf32> {mlax.sharding = {{\[\[}}"x"]]})
// CHECK:         mlax.psum sum
// CHECK-LABEL: func.func @branchy(
// CHECK:         mlax.cond [@neg_spmd, @scale_spmd][%arg0] (%arg1) : tensor<i32>, (tensor<4xf32>) -> tensor<4xf32>
func.func private @scale(%v: tensor<8xf32>) -> tensor<8xf32> {
  %c = mlax.constant dense<2.0> : tensor<8xf32>
  %0 = mlax.mul %v, %c : tensor<8xf32>
  %1 = mlax.reduce_sum %v, axes = [0] : (tensor<8xf32>) -> tensor<f32>
  %2 = mlax.broadcast_in_dim %1, dims = [] : (tensor<f32>) -> tensor<8xf32>
  %3 = mlax.add %0, %2 : tensor<8xf32>
  return %3 : tensor<8xf32>
}
func.func private @neg(%v: tensor<8xf32>) -> tensor<8xf32> {
  %0 = mlax.neg %v : tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @branchy(%i: tensor<i32>, %v: tensor<8xf32> {mlax.sharding = [["x"]]}) -> (tensor<8xf32> {mlax.sharding = [["x"]]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %r = mlax.cond [@neg, @scale][%i] (%v) : tensor<i32>, (tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}
