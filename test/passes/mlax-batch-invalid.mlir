// RUN: mlax-opt %s -mlax-batch -split-input-file -verify-diagnostics -allow-unregistered-dialect

// Diagnostics of mlax-batch: a result required unbatched (out-axis -1) that
// depends on a batched argument, and a request whose callee requests its
// own batching. (A recursive callee is fine: its batched version calls
// itself.)

func.func private @f(%x: tensor<3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  %0 = mlax.mul %x, %w : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @out_axis_none_on_batched(%xs: tensor<4x3xf32>, %w: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{mlax-batch: out_axes[0] is -1 (not batched) but result 0 of 'f' depends on a batched argument}}
  %0 = mlax.batch @f(%xs, %w) in_axes = [0, -1] out_axes = [-1] size = 4 : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func private @self(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{cannot be expanded: its callee is missing or (indirectly) requests its own batching}}
  %0 = mlax.batch @self(%x) in_axes = [-1] out_axes = [-1] size = 1 : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// An op without a batching rule (every mlax op has one, and any op with the
// Elementwise trait is batched elementwise).
func.func private @no_rule(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'test.opaque' op mlax-batch: no batching rule for this op}}
  %0 = "test.opaque"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @op_without_rule(%xs: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @no_rule(%xs) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// An external callee has no body to batch.
// expected-error @+1 {{'func.func' op mlax-batch: needs a single-block function}}
func.func private @ext(%x: tensor<3xf32>) -> tensor<3xf32>
func.func @external_callee(%xs: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @ext(%xs) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @region(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'scf.execute_region' op mlax-batch: ops with regions are not supported yet}}
  %0 = scf.execute_region -> tensor<3xf32> {
    scf.yield %x : tensor<3xf32>
  }
  return %0 : tensor<3xf32>
}
func.func @region_in_callee(%xs: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @region(%xs) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// expected-error @+1 {{'func.func' op mlax-batch: function without return}}
func.func private @no_return(%x: tensor<3xf32>) -> tensor<3xf32> {
  "test.terminator"() : () -> ()
}
func.func @callee_without_return(%xs: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @no_return(%xs) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A custom-rule attribute that names no function.
// expected-error @+1 {{'func.func' op mlax-batch: unknown rule @missing_rule}}
func.func private @custom(%x: tensor<3xf32>) -> tensor<3xf32> attributes {mlax.custom_jvp = @missing_rule} {
  return %x : tensor<3xf32>
}
func.func private @calls_custom(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = call @custom(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @missing_custom_rule(%xs: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mlax.batch @calls_custom(%xs) in_axes = [0] out_axes = [0] size = 4 : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func private @mixed(%x: tensor<3xf32>) -> tensor<6x3xf32> {
  // expected-error @+1 {{'mlax.all_gather' op mlax-batch: a collective over the vmapped axis 'v' together with other axes is not supported yet (psum and axis_index are)}}
  %0 = mlax.all_gather %x over ["v", "i"] sizes [3, 2] dim = 0 tiled = false : (tensor<3xf32>) -> tensor<6x3xf32>
  return %0 : tensor<6x3xf32>
}
func.func @mixed_axes(%xs: tensor<3x3xf32>) -> tensor<3x6x3xf32> {
  %0 = mlax.batch @mixed(%xs) in_axes = [0] out_axes = [0] size = 3 {axis_name = "v"} : (tensor<3x3xf32>) -> tensor<3x6x3xf32>
  return %0 : tensor<3x6x3xf32>
}

// -----

func.func private @wrong_size(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.psum' op mlax-batch: axis 'v' has size 5 here but vmap maps over 3 examples}}
  %0 = mlax.psum sum, %x over ["v"] sizes [5] : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @axis_size_mismatch(%xs: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = mlax.batch @wrong_size(%xs) in_axes = [0] out_axes = [0] size = 3 {axis_name = "v"} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func private @no_method(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.host_callback' op vmap is only supported for the pure_callback primitive when vmap_method is one of 'sequential', 'sequential_unrolled', 'expand_dims', 'broadcast_all', or 'legacy_vectorized'. Got vmap_method=None.}}
  %0 = mlax.host_callback pure 0 (%x) vmap = none : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @pure_callback_without_vmap_method(%xs: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.batch @no_method(%xs) in_axes = [0] out_axes = [0] size = 2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func private @ordered_io(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'mlax.host_callback' op Cannot `vmap` ordered IO callback.}}
  %0 = mlax.host_callback io 0 (%x) vmap = none {ordered} : (tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func @ordered_io_callback(%xs: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = mlax.batch @ordered_io(%xs) in_axes = [0] out_axes = [0] size = 2 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
