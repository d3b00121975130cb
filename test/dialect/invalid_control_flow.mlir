// RUN: mlax-opt %s -split-input-file -verify-diagnostics

// Every constraint of cond, while and scan (docs/ops.md).

func.func @no_callee(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.cond' op (C1) branch 0 'nope' does not name a func.func}}
  %0 = mlax.cond [@nope][%i](%x) : tensor<i32>, (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @no_branch(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.cond' op (C2) needs at least one branch}}
  %0 = mlax.cond [][%i](%x) : tensor<i32>, (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @id(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func private @widen(%x: tensor<f32>) -> tensor<2xf32> {
  %0 = mlax.broadcast_in_dim %x, dims = [] : (tensor<f32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @branch_types(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.cond' op (C3) branch 1 has type '(tensor<f32>) -> tensor<2xf32>', expected (tensor<f32>) -> (tensor<f32>)}}
  %0 = mlax.cond [@id, @widen][%i](%x) : tensor<i32>, (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @id(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func @index_rank(%i: tensor<2xi32>, %x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.cond' op (C4) index must be a 0-d tensor, got 'tensor<2xi32>'}}
  %0 = mlax.cond [@id][%i](%x) : tensor<2xi32>, (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<i1> {
  %0 = mlax.compare LT, %x, %x : (tensor<f32>, tensor<f32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @b(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func @too_many_consts(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.while' op (C2) num_consts = 2 with 1 operands}}
  %0 = mlax.while @c, @b(%x) num_consts = 2 : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<i1> {
  %0 = mlax.compare LT, %x, %x : (tensor<f32>, tensor<f32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @b(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func @results_not_carry(%x: tensor<f32>) -> tensor<i32> {
  // expected-error @+1 {{'mlax.while' op (C3) results must be the carry (tensor<f32>), got (tensor<i32>)}}
  %0 = mlax.while @c, @b(%x) num_consts = 0 : (tensor<f32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func private @b(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
func.func @cond_not_bool(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.while' op (C4) cond has type '(tensor<f32>) -> tensor<f32>', expected (tensor<f32>) -> tensor<i1>}}
  %0 = mlax.while @c, @b(%x) num_consts = 0 : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<i1> {
  %0 = mlax.compare LT, %x, %x : (tensor<f32>, tensor<f32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @b(%x: tensor<f32>) -> tensor<f64> {
  %0 = mlax.convert %x : (tensor<f32>) -> tensor<f64>
  return %0 : tensor<f64>
}
func.func @body_changes_carry(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'mlax.while' op (C5) body has type '(tensor<f32>) -> tensor<f64>', expected (tensor<f32>) -> (tensor<f32>)}}
  %0 = mlax.while @c, @b(%x) num_consts = 0 : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @body(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %c, %x : tensor<f32>, tensor<f32>
}
func.func @bad_counts(%c: tensor<f32>, %xs: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.scan' op (C2) num_carry = 2, num_consts = 1 and length = 4 with 2 operands}}
  %0:2 = mlax.scan @body(%c, %xs) num_carry = 2 num_consts = 1 length = 4 reverse = false : (tensor<f32>, tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<4xf32>
}

// -----

func.func private @body(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %c, %x : tensor<f32>, tensor<f32>
}
func.func @bad_length(%c: tensor<f32>, %xs: tensor<4xf32>) -> (tensor<f32>, tensor<5xf32>) {
  // expected-error @+1 {{'mlax.scan' op (C3) xs operand 0 has type 'tensor<4xf32>': its leading dimension must be the length 5}}
  %0:2 = mlax.scan @body(%c, %xs) num_carry = 1 num_consts = 0 length = 5 reverse = false : (tensor<f32>, tensor<4xf32>) -> (tensor<f32>, tensor<5xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<5xf32>
}

// -----

func.func private @body(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<i32>, tensor<f32>) {
  %0 = mlax.convert %c : (tensor<f32>) -> tensor<i32>
  return %0, %x : tensor<i32>, tensor<f32>
}
func.func @body_carry(%c: tensor<f32>, %xs: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.scan' op (C4) body has type '(tensor<f32>, tensor<f32>) -> (tensor<i32>, tensor<f32>)', expected (tensor<f32>, tensor<f32>) -> (tensor<f32>) followed by the y slices}}
  %0:2 = mlax.scan @body(%c, %xs) num_carry = 1 num_consts = 0 length = 4 reverse = false : (tensor<f32>, tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<4xf32>
}

// -----

func.func private @body(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %c, %x : tensor<f32>, tensor<f32>
}
func.func @bad_results(%c: tensor<f32>, %xs: tensor<4xf32>) -> (tensor<f32>, tensor<3xf32>) {
  // expected-error @+1 {{'mlax.scan' op (C5) results must be (tensor<f32>, tensor<4xf32>), got (tensor<f32>, tensor<3xf32>)}}
  %0:2 = mlax.scan @body(%c, %xs) num_carry = 1 num_consts = 0 length = 4 reverse = false : (tensor<f32>, tensor<4xf32>) -> (tensor<f32>, tensor<3xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<3xf32>
}

// -----

func.func private @body(%c: tensor<f32>, %x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  return %c, %x : tensor<f32>, tensor<f32>
}
func.func @bad_unroll(%c: tensor<f32>, %xs: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  // expected-error @+1 {{'mlax.scan' op (C6) unroll = 0 must be >= 1}}
  %0:2 = mlax.scan @body(%c, %xs) num_carry = 1 num_consts = 0 length = 4 reverse = false {unroll = 0} : (tensor<f32>, tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>)
  return %0#0, %0#1 : tensor<f32>, tensor<4xf32>
}
