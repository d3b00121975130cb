// RUN: mlax-opt %s | mlax-opt | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt | FileCheck %s

// Round-trips of the random-number op (MlaxRandomOps.td).

// CHECK-LABEL: func.func @threefry
// CHECK: %{{.*}}, %{{.*}} = mlax.threefry2x32 %arg0, %arg1, %arg2, %arg3 : tensor<3x5xui32>
// CHECK: %{{.*}}, %{{.*}} = mlax.threefry2x32 %arg4, %arg4, %arg4, %arg4 : tensor<ui32>
func.func @threefry(%k0: tensor<3x5xui32>, %k1: tensor<3x5xui32>, %hi: tensor<3x5xui32>,
                    %lo: tensor<3x5xui32>, %s: tensor<ui32>) -> (tensor<3x5xui32>, tensor<ui32>) {
  %0:2 = mlax.threefry2x32 %k0, %k1, %hi, %lo : tensor<3x5xui32>
  %1:2 = mlax.threefry2x32 %s, %s, %s, %s : tensor<ui32>
  return %0#1, %1#0 : tensor<3x5xui32>, tensor<ui32>
}
