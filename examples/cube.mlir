// The seed example in the mlax dialect: mlax-opt examples/cube.mlir --mlax-lower-to-linalg
func.func @cube(%x: tensor<10000x10000xf32>) -> tensor<10000x10000xf32> {
  %0 = mlax.mul %x, %x : tensor<10000x10000xf32>
  %1 = mlax.mul %0, %x : tensor<10000x10000xf32>
  return %1 : tensor<10000x10000xf32>
}
