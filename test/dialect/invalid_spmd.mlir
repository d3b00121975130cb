// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Every constraint of the collectives and shard_map (docs/ops.md).

func.func @no_axes(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.psum' op (C1) needs at least one axis name}}
  %0 = mlax.psum sum, %x over [] sizes [] : tensor<3xf32>
  return
}

// -----

func.func @axis_twice(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.psum' op (C1) axis 'i' is named twice}}
  %0 = mlax.psum sum, %x over ["i", "i"] sizes [2, 2] : tensor<3xf32>
  return
}

// -----

func.func @sizes_count(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.psum' op (C2) 2 axis names but 1 sizes}}
  %0 = mlax.psum sum, %x over ["i", "j"] sizes [2] : tensor<3xf32>
  return
}

// -----

func.func @size_zero(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.axis_index' op (C2) axis sizes must be >= 1, got 0}}
  %0 = mlax.axis_index over ["i"] sizes [0] : tensor<i32>
  return
}

// -----

func.func @not_in_mesh(%x: tensor<3xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.psum' op (C3) axis 'i' is not an axis of the mesh ["x"]}}
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<3xf32>
  return
}

// -----

func.func @size_differs_from_mesh(%x: tensor<3xf32>) attributes {mlax.mesh_axes = ["x"], mlax.mesh_shape = array<i64: 2>} {
  // expected-error @+1 {{'mlax.ppermute' op (C3) axis 'x' has size 2 in the mesh, not 4}}
  %0 = mlax.ppermute %x over ["x"] sizes [4] pairs = [0, 1] : tensor<3xf32>
  return
}

// -----

func.func @and_on_floats(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.psum' op (C4) an and/or reduction needs an integer or bool operand, got 'f32'}}
  %0 = mlax.psum and, %x over ["i"] sizes [2] : tensor<3xf32>
  return
}

// -----

func.func @sum_of_bools(%x: tensor<3xi1>) {
  // expected-error @+1 {{'mlax.psum' op (C4) a sum needs a numeric operand, got 'i1'}}
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<3xi1>
  return
}

// -----

func.func @gather_dim(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.all_gather' op (C4) dimension 1 is out of range for a tiled gather of rank 1}}
  %0 = mlax.all_gather %x over ["i"] sizes [2] dim = 1 tiled = true : (tensor<3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @gather_shape(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.all_gather' op (C5) result shape must be [2, 3], got [3, 2]}}
  %0 = mlax.all_gather %x over ["i"] sizes [2] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @gather_element_type(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.all_gather' op (C5) result element type 'i32' differs from the operand's 'f32'}}
  %0 = mlax.all_gather %x over ["i"] sizes [2] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<2x3xi32>
  return
}

// -----

func.func @scatter_uneven(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{'mlax.psum_scatter' op (C4) dimension 0 of size 3 does not split evenly over 2 devices}}
  %0 = mlax.psum_scatter %x over ["i"] sizes [2] dim = 0 tiled = true : (tensor<3x2xf32>) -> tensor<1x2xf32>
  return
}

// -----

func.func @scatter_untiled_size(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{'mlax.psum_scatter' op (C4) dimension 0 must have the group size 2, got 3}}
  %0 = mlax.psum_scatter %x over ["i"] sizes [2] dim = 0 tiled = false : (tensor<3x2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @scatter_dim(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.psum_scatter' op (C4) dimension 1 is out of range [0, 1)}}
  %0 = mlax.psum_scatter %x over ["i"] sizes [2] dim = 1 tiled = true : (tensor<4xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @scatter_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mlax.psum_scatter' op (C5) result shape must be [2], got [4]}}
  %0 = mlax.psum_scatter %x over ["i"] sizes [2] dim = 0 tiled = true : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @all_to_all_uneven(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{'mlax.all_to_all' op (C4) split dimension 0 of size 3 does not split evenly over 2 devices}}
  %0 = mlax.all_to_all %x over ["i"] sizes [2] split = 0 concat = 1 : (tensor<3x2xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @all_to_all_dim(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'mlax.all_to_all' op (C4) dimension 2 is out of range [0, 2)}}
  %0 = mlax.all_to_all %x over ["i"] sizes [2] split = 0 concat = 2 : (tensor<4x2xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @all_to_all_shape(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'mlax.all_to_all' op (C5) result shape must be [2, 4], got [4, 2]}}
  %0 = mlax.all_to_all %x over ["i"] sizes [2] split = 0 concat = 1 : (tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @pairs_odd(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.ppermute' op (C4) pairs must hold (source, target) pairs, got 3 entries}}
  %0 = mlax.ppermute %x over ["i"] sizes [2] pairs = [0, 1, 1] : tensor<3xf32>
  return
}

// -----

func.func @pairs_range(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.ppermute' op (C4) device index 2 is out of range [0, 2)}}
  %0 = mlax.ppermute %x over ["i"] sizes [2] pairs = [0, 2] : tensor<3xf32>
  return
}

// -----

func.func @pairs_source_twice(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.ppermute' op (C4) source 0 appears twice}}
  %0 = mlax.ppermute %x over ["i"] sizes [2] pairs = [0, 1, 0, 0] : tensor<3xf32>
  return
}

// -----

func.func @pairs_target_twice(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.ppermute' op (C4) target 1 appears twice}}
  %0 = mlax.ppermute %x over ["i"] sizes [2] pairs = [0, 1, 1, 1] : tensor<3xf32>
  return
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_callee(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C1) 'missing' does not name a func.func}}
  %0 = mlax.shard_map @missing(%x) mesh = ["x"] shape = [2] in_specs = [[["x"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_mesh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C2) mesh axis 'x' is named twice}}
  %0 = mlax.shard_map @b(%x) mesh = ["x", "x"] shape = [2, 2] in_specs = [[["x"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_mesh_sizes(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C2) 1 mesh axes but 2 sizes}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2, 2] in_specs = [[["x"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_spec_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C3) in_specs has 2 specs for 1 values and a callee with 1}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["x"]], [["x"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_spec_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C4) in_specs[0] needs one entry per dimension of 'tensor<4xf32>'}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["x"], []]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_spec_entry(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C4) in_specs[0] entry 0 must be a list of mesh axis names}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [["x"]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_unknown_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C4) in_specs[0] names "y", which is not a mesh axis}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["y"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<1x2xf32>) -> tensor<1x2xf32>
func.func @sm_axis_twice(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C4) in_specs[0] uses mesh axis 'x' twice}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["x"], ["x"]]] out_specs = [[["x"], []]] : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func private @b(%x: tensor<2xf32>) -> tensor<2xf32>
func.func @sm_uneven(%x: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C4) in_specs[0]: dimension 0 of 'tensor<5xf32>' does not split evenly into 2 blocks}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["x"]]] out_specs = [[["x"]]] : (tensor<5xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func private @b(%x: tensor<4xf32>) -> tensor<2xf32>
func.func @sm_block_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.shard_map' op (C5) in_specs[0]: the callee's block must be 'tensor<2xf32>', got 'tensor<4xf32>'}}
  %0 = mlax.shard_map @b(%x) mesh = ["x"] shape = [2] in_specs = [[["x"]]] out_specs = [[["x"]]] : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @constraint_mesh(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.sharding_constraint' op (C1) mesh axis 'x' is named twice}}
  %0 = mlax.sharding_constraint %x mesh = ["x", "x"] shape = [2, 2] sharding = [["x"]] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @constraint_rank(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.sharding_constraint' op (C2) sharding needs one entry per dimension of 'tensor<4xf32>'}}
  %0 = mlax.sharding_constraint %x mesh = ["x"] shape = [2] sharding = [["x"], []] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @constraint_unknown_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'mlax.sharding_constraint' op (C2) sharding names "z", which is not a mesh axis}}
  %0 = mlax.sharding_constraint %x mesh = ["x"] shape = [2] sharding = [["z"]] : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @constraint_uneven(%x: tensor<5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'mlax.sharding_constraint' op (C2) sharding: dimension 0 of 'tensor<5xf32>' does not split evenly into 2 blocks}}
  %0 = mlax.sharding_constraint %x mesh = ["x"] shape = [2] sharding = [["x"]] : tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @constraint_axis_twice(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'mlax.sharding_constraint' op (C2) sharding uses mesh axis 'x' twice}}
  %0 = mlax.sharding_constraint %x mesh = ["x"] shape = [2] sharding = [["x"], ["x"]] : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
