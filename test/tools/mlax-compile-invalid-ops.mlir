// RUN: not mlax-compile %s --emit=object -o %t.o 2>&1 | FileCheck %s

// A collective needs the SPMD runtime: named, rejected.
// CHECK: error: 'mlax.psum' needs the SPMD runtime
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.psum sum, %x over ["i"] sizes [2] : tensor<4xf32>
  return %0 : tensor<4xf32>
}
