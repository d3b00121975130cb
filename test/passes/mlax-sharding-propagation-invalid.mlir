// RUN: mlax-opt %s -mlax-sharding-propagation -split-input-file -verify-diagnostics

// Diagnostics of mlax-sharding-propagation: malformed meshes and stated
// shardings.

// expected-error @+1 {{'func.func' op needs both mlax.mesh_axes (a list of names) and mlax.mesh_shape (an i64 array)}}
func.func @half_a_mesh(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x"]} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op mesh axis 'x' is named twice}}
func.func @repeated_axis(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x", "x"], mlax.mesh_shape = array<i64: 2, 2>} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument 0 sharding names "y", which is not a mesh axis}}
func.func @unknown_axis(%x: tensor<4xf32> {mlax.sharding = [["y"]]}) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<4xf32>
}

// -----

// expected-error @+1 {{'func.func' op argument 0 sharding: dimension 0 of 'tensor<5xf32>' does not split evenly into 2 blocks}}
func.func @uneven(%x: tensor<5xf32> {mlax.sharding = [["x"]]}) -> tensor<5xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<5xf32>
}

// -----

// expected-error @+1 {{'func.func' op result 0 sharding needs one entry per dimension of 'tensor<4xf32>'}}
func.func @result_rank(%x: tensor<4xf32>) -> (tensor<4xf32> {mlax.sharding = [["x"], []]}) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  return %x : tensor<4xf32>
}

// -----

func.func @other_mesh(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.sharding_constraint' op mesh ["y"] differs from the function's mesh}}
  %0 = mlax.sharding_constraint %x mesh = ["y"] shape = [2] sharding = [["y"]] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @body(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @shard_map_other_mesh(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.shard_map' op mesh ["y"] differs from the function's mesh}}
  %0 = mlax.shard_map @body(%x) mesh = ["y"] shape = [2] in_specs = [[["y"]]] out_specs = [[["y"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
