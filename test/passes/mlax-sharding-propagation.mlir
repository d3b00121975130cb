// RUN: mlax-opt %s -mlax-sharding-propagation -split-input-file | FileCheck %s

// mlax-sharding-propagation: shardings flow forward from arguments through
// each op family's rule (ShardingRules.cpp), then backward from users;
// what nothing reaches is replicated; every argument and result gets one.

// Elementwise and reductions: the split dimension flows through exp; a
// reduction over it leaves a replicated result (not recorded); the
// broadcast back takes its users' sharding (backward).
// CHECK-LABEL: func.func @elementwise_reduce(
// CHECK-SAME:      {mlax.sharding = {{\[\[}}"x"], []]}
// CHECK-SAME:      -> (tensor<8x6xf32> {mlax.sharding = {{\[\[}}"x"], []]})
// CHECK:         mlax.exp %arg0 {mlax.sharding = {{\[\[\[}}"x"], []]]}
// CHECK:         mlax.reduce_sum %{{.*}}, axes = [0] :
// CHECK:         mlax.broadcast_in_dim %{{.*}}, dims = [1] {mlax.sharding = {{\[\[\[}}"x"], []]]}
// CHECK:         mlax.div %{{.*}}, %{{.*}} {mlax.sharding = {{\[\[\[}}"x"], []]]}
func.func @elementwise_reduce(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.exp %x : tensor<8x6xf32>
  %1 = mlax.reduce_sum %0, axes = [0] : (tensor<8x6xf32>) -> tensor<6xf32>
  %2 = mlax.broadcast_in_dim %1, dims = [1] : (tensor<6xf32>) -> tensor<8x6xf32>
  %3 = mlax.div %0, %2 : tensor<8x6xf32>
  return %3 : tensor<8x6xf32>
}

// -----

// dot_general: free dimensions carry their operand's axes; the unstated
// argument %b takes, backward, the sharding the add gives its result.
// CHECK-LABEL: func.func @dot_free_dims(
// CHECK-SAME:      %arg1: tensor<4x6xf32> {mlax.sharding = {{\[\[}}], ["y"]]}
// CHECK-SAME:      -> (tensor<8x6xf32> {mlax.sharding = {{\[\[}}"x"], ["y"]]})
// CHECK:         mlax.dot_general {{.*}} {mlax.sharding = {{\[\[\[}}"x"], ["y"]]]}
func.func @dot_free_dims(%a: tensor<8x4xf32> {mlax.sharding = [["x"], []]}, %b: tensor<4x6xf32>, %c: tensor<4x6xf32> {mlax.sharding = [[], ["y"]]}) -> tensor<8x6xf32> attributes {mlax.mesh_axes = ["x", "y"], mlax.mesh_shape = array<i64: 2, 3>} {
  %0 = mlax.add %b, %c : tensor<4x6xf32>
  %1 = mlax.dot_general %a, %0, batch = [] x [], contract = [1] x [0] : (tensor<8x4xf32>, tensor<4x6xf32>) -> tensor<8x6xf32>
  return %1 : tensor<8x6xf32>
}

// -----

// Transpose and reshape: the split moves with its dimension; a reshape
// keeps a dimension it leaves whole and does not split a merged one.
// CHECK-LABEL: func.func @transpose_reshape(
// CHECK-SAME:    -> (tensor<6x8x1xf32> {mlax.sharding = {{\[\[}}], ["x"], []]}, tensor<48xf32> {mlax.sharding = {{\[\[}}]]})
// CHECK:         mlax.transpose {{.*}} {mlax.sharding = {{\[\[\[}}], ["x"]]]}
// CHECK:         mlax.reshape {{.*}} {mlax.sharding = {{\[\[\[}}], ["x"], []]]}
// CHECK:         mlax.reshape %{{.*}} : (tensor<6x8xf32>) -> tensor<48xf32>
func.func @transpose_reshape(%x: tensor<8x6xf32> {mlax.sharding = [["x"], []]}) -> (tensor<6x8x1xf32>, tensor<48xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.transpose %x, perm = [1, 0] : (tensor<8x6xf32>) -> tensor<6x8xf32>
  %1 = mlax.reshape %0 : (tensor<6x8xf32>) -> tensor<6x8x1xf32>
  %2 = mlax.reshape %0 : (tensor<6x8xf32>) -> tensor<48xf32>
  return %1, %2 : tensor<6x8x1xf32>, tensor<48xf32>
}

// -----

// Backward: shard_map's in_specs and a constraint shard what feeds them;
// a splat constant takes its user's sharding.
// CHECK-LABEL: func.func @backward(
// CHECK-SAME:      %arg0: tensor<8x4xf32> {mlax.sharding = {{\[\[}}"i"], []]}
// CHECK:         mlax.constant {mlax.sharding = {{\[\[\[}}"i"], []]]}
// CHECK:         mlax.mul {{.*}} {mlax.sharding = {{\[\[\[}}"i"], []]]}
func.func private @body(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  return %x : tensor<4x4xf32>
}
func.func @backward(%x: tensor<8x4xf32>) -> tensor<8x4xf32> attributes {mlax.mesh_axes = ["i"], mlax.mesh_shape = array<i64: 2>} {
  %c = mlax.constant dense<2.0> : tensor<8x4xf32>
  %0 = mlax.mul %x, %c : tensor<8x4xf32>
  %1 = mlax.shard_map @body(%0) mesh = ["i"] shape = [2] in_specs = [[["i"], []]] out_specs = [[["i"], []]] : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %1 : tensor<8x4xf32>
}

// -----

// A sharding constraint pins its result; propagation continues from it,
// and its operand (here an argument) takes it backward.
// CHECK-LABEL: func.func @constraint(
// CHECK-SAME:      %arg0: tensor<4x4xf32> {mlax.sharding = {{\[\[}}], ["x"]]}
// CHECK-SAME:      -> (tensor<4x4xf32> {mlax.sharding = {{\[\[}}], ["x"]]})
// CHECK:         mlax.sharding_constraint
// CHECK:         mlax.neg {{.*}} {mlax.sharding = {{\[\[\[}}], ["x"]]]}
func.func @constraint(%x: tensor<4x4xf32>) -> tensor<4x4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %0 = mlax.sharding_constraint %x mesh = ["x"] shape = [2] sharding = [[], ["x"]] : tensor<4x4xf32>
  %1 = mlax.neg %0 : tensor<4x4xf32>
  return %1 : tensor<4x4xf32>
}

// -----

// Functions without a mesh are left alone.
// CHECK-LABEL: func.func @no_mesh(
// CHECK-NOT:     mlax.sharding
func.func @no_mesh(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.neg %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A while's carries share their sharding between operand and result, both
// ways: the split argument's carry result is split, and the result the
// function returns split asks for its carry operand (a replicated constant)
// to be split too.
// CHECK-LABEL: func.func @loop(
// CHECK:         mlax.while @loop_cond, @loop_body
// CHECK-SAME:      mlax.sharding = {{\[\[\[}}"x"]], {{\[\[}}"x"]]]
func.func private @loop_cond(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<i1> {
  %t = mlax.constant dense<true> : tensor<i1>
  return %t : tensor<i1>
}
func.func private @loop_body(%a: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  return %b, %a : tensor<8xf32>, tensor<8xf32>
}
func.func @loop(%x: tensor<8xf32> {mlax.sharding = [["x"]]}) -> (tensor<8xf32>, tensor<8xf32> {mlax.sharding = [["x"]]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  %z = mlax.constant dense<0.0> : tensor<8xf32>
  %r:2 = mlax.while @loop_cond, @loop_body(%x, %z) num_consts = 0 : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
