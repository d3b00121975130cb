// RUN: not mlax-compile %s --emit=object -o %t.o 2>&1 | FileCheck %s

// Diagnostics and a non-zero exit; never a crash.

// CHECK: error: unexpanded transformation request 'mlax.vjp'
func.func private @sq(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlax.mul %x, %x : tensor<f32>
  return %0 : tensor<f32>
}
func.func @main(%x: tensor<f32>, %ct: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %0:2 = mlax.vjp @sq(%x, %ct) active = [true] : (tensor<f32>, tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#0, %0#1 : tensor<f32>, tensor<f32>
}
