// RUN: mlax-opt %s | mlax-opt | FileCheck %s

// Complex tensors: the complex ops, and the arithmetic, transcendental,
// layout and contraction ops that take complex64/complex128.

// CHECK-LABEL: func.func @parts(
// CHECK: %[[Z:[0-9]+]] = mlax.complex %arg0, %arg1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xcomplex<f32>>
// CHECK: %{{[0-9]+}} = mlax.real %[[Z]] : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.imag %[[Z]] : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
// CHECK: %{{[0-9]+}} = mlax.conj %[[Z]] : tensor<4xcomplex<f32>>
// CHECK: %{{[0-9]+}} = mlax.abs %[[Z]] : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
func.func @parts(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xcomplex<f32>>, tensor<4xf32>) {
  %z = mlax.complex %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xcomplex<f32>>
  %re = mlax.real %z : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %im = mlax.imag %z : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %c = mlax.conj %z : tensor<4xcomplex<f32>>
  %a = mlax.abs %z : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  return %re, %im, %c, %a : tensor<4xf32>, tensor<4xf32>, tensor<4xcomplex<f32>>, tensor<4xf32>
}

// CHECK-LABEL: func.func @arithmetic(
// CHECK: mlax.add %arg0, %arg1 : tensor<2x3xcomplex<f64>>
// CHECK: mlax.sub
// CHECK: mlax.mul
// CHECK: mlax.div
// CHECK: mlax.pow
// CHECK: mlax.neg
// CHECK: mlax.integer_pow %{{[0-9]+}}, -2 : tensor<2x3xcomplex<f64>>
// CHECK: mlax.exp
// CHECK: mlax.log
// CHECK: mlax.sqrt
// CHECK: mlax.sin
// CHECK: mlax.tanh
// CHECK: mlax.compare EQ
func.func @arithmetic(%a: tensor<2x3xcomplex<f64>>, %b: tensor<2x3xcomplex<f64>>) -> (tensor<2x3xcomplex<f64>>, tensor<2x3xi1>) {
  %0 = mlax.add %a, %b : tensor<2x3xcomplex<f64>>
  %1 = mlax.sub %0, %b : tensor<2x3xcomplex<f64>>
  %2 = mlax.mul %1, %b : tensor<2x3xcomplex<f64>>
  %3 = mlax.div %2, %b : tensor<2x3xcomplex<f64>>
  %4 = mlax.pow %3, %b : tensor<2x3xcomplex<f64>>
  %5 = mlax.neg %4 : tensor<2x3xcomplex<f64>>
  %6 = mlax.integer_pow %5, -2 : tensor<2x3xcomplex<f64>>
  %7 = mlax.exp %6 : tensor<2x3xcomplex<f64>>
  %8 = mlax.log %7 : tensor<2x3xcomplex<f64>>
  %9 = mlax.sqrt %8 : tensor<2x3xcomplex<f64>>
  %10 = mlax.sin %9 : tensor<2x3xcomplex<f64>>
  %11 = mlax.tanh %10 : tensor<2x3xcomplex<f64>>
  %12 = mlax.compare EQ, %11, %a : (tensor<2x3xcomplex<f64>>, tensor<2x3xcomplex<f64>>) -> tensor<2x3xi1>
  return %11, %12 : tensor<2x3xcomplex<f64>>, tensor<2x3xi1>
}

// CHECK-LABEL: func.func @contract_and_layout(
// CHECK: mlax.dot_general
// CHECK: mlax.reduce_sum
// CHECK: mlax.transpose
// CHECK: mlax.convert %arg2 : (tensor<3xf32>) -> tensor<3xcomplex<f32>>
// CHECK: mlax.constant dense<(1.000000e+00,2.000000e+00)> : tensor<complex<f32>>
func.func @contract_and_layout(%a: tensor<2x3xcomplex<f32>>, %b: tensor<3x4xcomplex<f32>>, %r: tensor<3xf32>) -> (tensor<4x2xcomplex<f32>>, tensor<2xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<complex<f32>>) {
  %0 = mlax.dot_general %a, %b, batch = [] x [], contract = [1] x [0] : (tensor<2x3xcomplex<f32>>, tensor<3x4xcomplex<f32>>) -> tensor<2x4xcomplex<f32>>
  %1 = mlax.reduce_sum %a, axes = [1] : (tensor<2x3xcomplex<f32>>) -> tensor<2xcomplex<f32>>
  %2 = mlax.transpose %0, perm = [1, 0] : (tensor<2x4xcomplex<f32>>) -> tensor<4x2xcomplex<f32>>
  %3 = mlax.convert %r : (tensor<3xf32>) -> tensor<3xcomplex<f32>>
  %4 = mlax.constant dense<(1.0, 2.0)> : tensor<complex<f32>>
  return %2, %1, %3, %4 : tensor<4x2xcomplex<f32>>, tensor<2xcomplex<f32>>, tensor<3xcomplex<f32>>, tensor<complex<f32>>
}
