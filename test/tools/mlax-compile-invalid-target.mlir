// RUN: not mlax-compile %s --emit=object --target-triple=nonsense-none-none -o %t.o 2>&1 | FileCheck %s --check-prefix=TRIPLE
// RUN: not mlax-compile %s --emit=object --target-triple=aarch64-linux-gnu -o %t.o 2>&1 | FileCheck %s --check-prefix=HOSTCPU
// RUN: mlax-compile %s --emit=object --target-triple=aarch64-linux-gnu --target-cpu=generic -o %t.o
// RUN: not mlax-compile %s --emit=vmfb --target=tpu -o %t.vmfb 2>&1 | FileCheck %s --check-prefix=IREE

// TRIPLE: error: unsupported target triple 'nonsense-none-none'
// HOSTCPU: error: --target-cpu=host needs the host's triple
// IREE: error: unsupported --target=tpu
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mlax.exp %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
