//===- MlaxExtension.cpp - the _mlaxDialects Python extension -------------===//
//
// Registers the mlax dialect (and the dialects its passes produce) on a
// context, and the mlax passes with the global registry, so that Python can
// parse mlax IR and run `PassManager.parse("builtin.module(...)")`.
//
//===----------------------------------------------------------------------===//

#include "dialects/mlax/capi/MlaxCAPI.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir/Bindings/Python/Nanobind.h"
#include "mlir/Bindings/Python/NanobindAdaptors.h"

#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <vector>

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
  mlaxModule.def(
      "batched_results",
      [](MlirOperation func, std::vector<bool> batched,
         const std::string &axisName) {
        std::unique_ptr<bool[]> flags(new bool[batched.size()]);
        std::copy(batched.begin(), batched.end(), flags.get());
        // A func.func has no results; its type gives the result count.
        MlirAttribute typeAttr = mlirOperationGetAttributeByName(
            func, mlirStringRefCreateFromCString("function_type"));
        MlirType type = mlirTypeAttrGetValue(typeAttr);
        intptr_t n = mlirFunctionTypeGetNumResults(type);
        std::unique_ptr<bool[]> out(new bool[n]);
        mlirMlaxBatchedResults(
            func, flags.get(), batched.size(),
            mlirStringRefCreate(axisName.data(), axisName.size()), out.get());
        return std::vector<bool>(out.get(), out.get() + n);
      },
      nb::arg("func"), nb::arg("batched"), nb::arg("axis_name") = "",
      "Which results of a func.func depend on the flagged arguments (and on "
      "vmap's axis_name, through collectives over it), as mlax-batch "
      "propagates it.");
}
