// RUN: mlax-opt %s | FileCheck %s
// RUN: mlax-opt %s -mlir-print-op-generic | mlax-opt -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// mlax.concatenate: parsed from the generic form, printed in the custom form,
// and round-tripped through the generic form. The custom form is not
// round-tripped here because it does not parse back: `$inputs`, `dim`
// ... makes the operand-list parser take the `,` before `dim` as the start
// of another operand (test/KNOWN_BUGS.txt, bug 1). Once that is fixed, these
// cases belong in ops_shape.mlir.

// CHECK-LABEL: func.func @concatenate(
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg0, %arg1, dim = 0 : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg0, %arg2, dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg3, dim = 0 : (tensor<3xi32>) -> tensor<3xi32>
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg4, %arg4, %arg4, dim = 0 : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg5, %arg5, dim = 0 : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
// CHECK: %{{[0-9]+}} = mlax.concatenate %arg6, %arg6, dim = 0 : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>

// GENERIC-LABEL: sym_name = "concatenate"
// GENERIC: "mlax.concatenate"(%arg0, %arg1) <{dimension = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
// GENERIC: "mlax.concatenate"(%arg0, %arg2) <{dimension = 1 : i64}> : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// GENERIC: "mlax.concatenate"(%arg3) <{dimension = 0 : i64}> : (tensor<3xi32>) -> tensor<3xi32>
// GENERIC: "mlax.concatenate"(%arg4, %arg4, %arg4) <{dimension = 0 : i64}> : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
// GENERIC: "mlax.concatenate"(%arg5, %arg5) <{dimension = 0 : i64}> : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
// GENERIC: "mlax.concatenate"(%arg6, %arg6) <{dimension = 0 : i64}> : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x1xf32>, %i: tensor<3xi32>, %h: tensor<2xbf16>, %u: tensor<1xui32>, %p: tensor<2xi1>) -> (tensor<6x3xf32>, tensor<2x4xf32>, tensor<3xi32>, tensor<6xbf16>, tensor<2xui32>, tensor<4xi1>) {
  %0 = "mlax.concatenate"(%a, %b) <{dimension = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  %1 = "mlax.concatenate"(%a, %c) <{dimension = 1 : i64}> : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %2 = "mlax.concatenate"(%i) <{dimension = 0 : i64}> : (tensor<3xi32>) -> tensor<3xi32>
  %3 = "mlax.concatenate"(%h, %h, %h) <{dimension = 0 : i64}> : (tensor<2xbf16>, tensor<2xbf16>, tensor<2xbf16>) -> tensor<6xbf16>
  %4 = "mlax.concatenate"(%u, %u) <{dimension = 0 : i64}> : (tensor<1xui32>, tensor<1xui32>) -> tensor<2xui32>
  %5 = "mlax.concatenate"(%p, %p) <{dimension = 0 : i64}> : (tensor<2xi1>, tensor<2xi1>) -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<6x3xf32>, tensor<2x4xf32>, tensor<3xi32>, tensor<6xbf16>, tensor<2xui32>, tensor<4xi1>
}
