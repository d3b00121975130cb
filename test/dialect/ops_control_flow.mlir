// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trips of cond, while and scan (MlaxControlFlowOps.td).

func.func private @neg(%x: tensor<3xf32>, %k: tensor<f32>) -> tensor<3xf32> {
  %0 = mlax.neg %x : tensor<3xf32>
  return %0 : tensor<3xf32>
}
func.func private @scale(%x: tensor<3xf32>, %k: tensor<f32>) -> tensor<3xf32> {
  %0 = mlax.broadcast_in_dim %k, dims = [] : (tensor<f32>) -> tensor<3xf32>
  %1 = mlax.mul %x, %0 : tensor<3xf32>
  return %1 : tensor<3xf32>
}
// CHECK-LABEL: func.func @cond(
// CHECK: mlax.cond [@neg, @scale][%arg0] (%arg1, %arg2) : tensor<i32>, (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
func.func @cond(%i: tensor<i32>, %x: tensor<3xf32>, %k: tensor<f32>) -> tensor<3xf32> {
  %0 = mlax.cond [@neg, @scale][%i](%x, %k) : tensor<i32>, (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func private @less(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> tensor<i1> {
  %0 = mlax.compare LT, %n, %lim : (tensor<i32>, tensor<i32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @step(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %one = mlax.constant dense<1> : tensor<i32>
  %0 = mlax.add %n, %one : tensor<i32>
  %1 = mlax.mul %x, %x : tensor<f32>
  return %0, %1 : tensor<i32>, tensor<f32>
}
// CHECK-LABEL: func.func @loop(
// CHECK: mlax.while @less, @step(%arg0, %arg1, %arg2) num_consts = 1 : (tensor<i32>, tensor<f32>, tensor<i32>) -> (tensor<i32>, tensor<f32>)
func.func @loop(%n: tensor<i32>, %x: tensor<f32>, %lim: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %0:2 = mlax.while @less, @step(%n, %x, %lim) num_consts = 1 : (tensor<i32>, tensor<f32>, tensor<i32>) -> (tensor<i32>, tensor<f32>)
  return %0#0, %0#1 : tensor<i32>, tensor<f32>
}

func.func private @cell(%h: tensor<2xf32>, %x: tensor<2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<f32>) {
  %0 = mlax.mul %h, %w : tensor<2xf32>
  %1 = mlax.add %0, %x : tensor<2xf32>
  %2 = mlax.reduce_sum %1, axes = [0] : (tensor<2xf32>) -> tensor<f32>
  return %1, %2 : tensor<2xf32>, tensor<f32>
}
// CHECK-LABEL: func.func @scan(
// CHECK: mlax.scan @cell(%arg0, %arg1, %arg2) num_carry = 1 num_consts = 1 length = 5 reverse = true : (tensor<2xf32>, tensor<5x2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>)
func.func @scan(%h: tensor<2xf32>, %xs: tensor<5x2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>) {
  %0:2 = mlax.scan @cell(%h, %xs, %w) num_carry = 1 num_consts = 1 length = 5 reverse = true : (tensor<2xf32>, tensor<5x2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<5xf32>
}
// `unroll` prints in the attribute dictionary (absent when 1).
// CHECK-LABEL: func.func @scan_unrolled(
// CHECK: mlax.scan @cell(%arg0, %arg1, %arg2) num_carry = 1 num_consts = 1 length = 5 reverse = false {unroll = 2 : i64} : (tensor<2xf32>, tensor<5x2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>)
func.func @scan_unrolled(%h: tensor<2xf32>, %xs: tensor<5x2xf32>, %w: tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>) {
  %0:2 = mlax.scan @cell(%h, %xs, %w) num_carry = 1 num_consts = 1 length = 5 reverse = false {unroll = 2} : (tensor<2xf32>, tensor<5x2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<5xf32>)
  return %0#0, %0#1 : tensor<2xf32>, tensor<5xf32>
}
