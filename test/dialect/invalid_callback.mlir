// RUN: mlax-opt %s -split-input-file -verify-diagnostics

func.func @debug_results(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.host_callback' op (C1) a debug callback has no results, got 1}}
  %0 = mlax.host_callback debug 0 (%x) vmap = none : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @vmap_method(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.host_callback' op (C2) vmap_method applies to pure callbacks only, got sequential on a io callback}}
  %0 = mlax.host_callback io 0 (%x) vmap = sequential : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @ordered_pure(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.host_callback' op (C3) a pure callback cannot be ordered}}
  %0 = mlax.host_callback pure 0 (%x) vmap = none {ordered} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @negative_id(%x: tensor<3xf32>) {
  // expected-error @+1 {{'mlax.host_callback' op (C4) callback_id must be >= 0, got -1}}
  mlax.host_callback debug -1 (%x) vmap = none : (tensor<3xf32>) -> ()
  return
}
