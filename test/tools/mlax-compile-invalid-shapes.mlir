// RUN: not mlax-compile %s --emit=object -o %t.o 2>&1 | FileCheck %s
// RUN: not mlax-compile %s --emit=object --functions=nope -o %t.o 2>&1 | FileCheck %s --check-prefix=MISSING

// CHECK: error: entry point @main has a non-static-tensor argument or result 'tensor<?xf32>'
// MISSING: error: --functions names @nope, which is not a public function of the module
func.func @main(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}
