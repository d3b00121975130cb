//===- MlaxExtension.cpp - the _mlaxDialects Python extension -------------===//
//
// Registers the mlax dialect (and the dialects its passes produce) on a
// context, and the mlax passes with the global registry, so that Python can
// parse mlax IR and run `PassManager.parse("builtin.module(...)")`.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/capi/MlaxCAPI.h"

#include "mlir/Bindings/Python/Nanobind.h"
#include "mlir/Bindings/Python/NanobindAdaptors.h"

namespace nb = nanobind;

NB_MODULE(_mlaxDialects, m) {
  auto mlaxModule = m.def_submodule("mlax");
  mlaxModule.def(
      "register_dialects",
      [](MlirContext context) { mlirMlaxRegisterAllDialects(context); },
      nb::arg("context").none() = nb::none(),
      "Registers and loads mlax and the dialects its passes produce.");
  mlaxModule.def(
      "register_passes", []() { mlirMlaxRegisterAllPasses(); },
      "Registers the mlax passes with the global pass registry.");
}
