// RUN: mlax-compile %s --emit=header --name=model -o - | FileCheck %s --check-prefix=HEADER
// RUN: mlax-compile %s --emit=mlir-linalg -o - | FileCheck %s --check-prefix=LINALG
// RUN: mlax-compile %s --emit=mlir-llvm --name=model -o - | FileCheck %s --check-prefix=LLVMDIALECT
// RUN: mlax-compile %s --emit=llvm --name=model -o - | FileCheck %s --check-prefix=LLVMIR
// RUN: mlax-compile %s --emit=object --name=model -o %t.o
// RUN: mlax-compile %s --emit=header --name=model --functions=scale -o - | FileCheck %s --check-prefix=ONLY

// mlax-compile: one C function per public function (@main is NAME, @f is
// NAME_f), inputs then caller-provided outputs, bools as bytes, unsigned
// types kept in the header.

// HEADER: void model(const float *in0, const uint32_t *in1, float *out0, bool *out1);
// HEADER: void model_scale(const float *in0, float *out0);
// HEADER: namespace mlax {
// HEADER: inline void model(mlax::View<const float> in0, mlax::View<const uint32_t> in1, mlax::View<float> out0, mlax::View<bool> out1) {
// HEADER:   mlax::check_shape(in0.shape(), {4, 8}, "model", "input 0");
// HEADER: inline std::tuple<mlax::Tensor<float>, mlax::Tensor<bool>> model(mlax::View<const float> in0, mlax::View<const uint32_t> in1) {
// HEADER: inline mlax::Tensor<float> model_scale(mlax::View<const float> in0) {

// LINALG: func.func @main(
// LINALG: linalg.generic

// LLVMDIALECT: llvm.func @model(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// LLVMDIALECT: llvm.func @model_scale(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)

// LLVMIR: define void @model(ptr
// LLVMIR: define void @model_scale(ptr

// ONLY-NOT: void model(
// ONLY: void model_scale(const float *in0, float *out0);

func.func @main(%x: tensor<4x8xf32>, %n: tensor<8xui32>) -> (tensor<4x8xf32>, tensor<4x8xi1>) {
  %0 = mlax.tanh %x : tensor<4x8xf32>
  %1 = mlax.convert %n : (tensor<8xui32>) -> tensor<8xf32>
  %2 = mlax.broadcast_in_dim %1, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %3 = mlax.compare LT, %0, %2 : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xi1>
  return %0, %3 : tensor<4x8xf32>, tensor<4x8xi1>
}

func.func @scale(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = mlax.constant dense<2.0> : tensor<3xf32>
  %0 = mlax.mul %x, %c : tensor<3xf32>
  return %0 : tensor<3xf32>
}
