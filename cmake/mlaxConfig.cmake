# mlax's CMake package: find_package(mlax CONFIG REQUIRED) with
# mlax_DIR set to the output of `python -m mlax.cmake`.
#
# Provides:
#   mlax::embed                 interface target: the mlax/embed.h header
#   MLAX_COMPILE_EXECUTABLE     the mlax-compile driver
#   mlax_add_module(<target> SOURCE <file.mlir or exported artifact>
#                   [NAME <c-name>] [FUNCTIONS f ...] [TARGET_CPU cpu]
#                   [NO_THREADS])
#       compiles the module at build time (mlax-compile --emit=object and
#       --emit=header), links the object into <target> and puts the
#       generated header (<c-name>.h) on its include path.
cmake_minimum_required(VERSION 3.16)
get_filename_component(_mlax_root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(mlax_INCLUDE_DIRS "${_mlax_root}/include")

# The thread pool behind compiled modules' parallel loops (mlax/embed.h).
find_package(Threads REQUIRED)
if(NOT TARGET mlax::embed)
  add_library(mlax::embed INTERFACE IMPORTED)
  set_target_properties(mlax::embed PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${mlax_INCLUDE_DIRS}"
    INTERFACE_COMPILE_FEATURES cxx_std_17
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()

# The Python console command (it also reads exported artifacts) next to the
# interpreter that installed mlax, else the C++ driver in the wheel, else PATH.
if(NOT MLAX_COMPILE_EXECUTABLE)
  find_program(MLAX_COMPILE_EXECUTABLE NAMES mlax-compile
    HINTS "${_mlax_root}/../../../../bin" "${_mlax_root}/_bin")
endif()
if(NOT MLAX_COMPILE_EXECUTABLE)
  set(mlax_FOUND FALSE)
  set(mlax_NOT_FOUND_MESSAGE "mlax-compile not found: pip install mlax, or set MLAX_COMPILE_EXECUTABLE")
  return()
endif()

function(mlax_add_module target)
  cmake_parse_arguments(ARG "NO_THREADS" "SOURCE;NAME;TARGET_CPU" "FUNCTIONS" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "mlax_add_module(${target}): SOURCE is required")
  endif()
  get_filename_component(source "${ARG_SOURCE}" ABSOLUTE)
  if(NOT ARG_NAME)
    get_filename_component(ARG_NAME "${source}" NAME_WE)
    string(MAKE_C_IDENTIFIER "${ARG_NAME}" ARG_NAME)
  endif()
  set(options "--name=${ARG_NAME}")
  if(ARG_FUNCTIONS)
    string(REPLACE ";" "," funcs "${ARG_FUNCTIONS}")
    list(APPEND options "--functions=${funcs}")
  endif()
  if(ARG_TARGET_CPU)
    list(APPEND options "--target-cpu=${ARG_TARGET_CPU}")
  endif()
  if(ARG_NO_THREADS)
    list(APPEND options "--parallel=false")
  endif()
  set(outdir "${CMAKE_CURRENT_BINARY_DIR}/mlax_modules/${ARG_NAME}")
  set(object "${outdir}/${ARG_NAME}${CMAKE_C_OUTPUT_EXTENSION}")
  if(NOT CMAKE_C_OUTPUT_EXTENSION)
    set(object "${outdir}/${ARG_NAME}.o")
  endif()
  set(header "${outdir}/${ARG_NAME}.h")
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${outdir}"
    COMMAND "${MLAX_COMPILE_EXECUTABLE}" "${source}" --emit=object ${options} -o "${object}"
    COMMAND "${MLAX_COMPILE_EXECUTABLE}" "${source}" --emit=header ${options} -o "${header}"
    DEPENDS "${source}"
    COMMENT "mlax-compile ${ARG_SOURCE} -> ${ARG_NAME}"
    VERBATIM)
  add_custom_target(${target}_mlax_${ARG_NAME} DEPENDS "${object}" "${header}")
  add_dependencies(${target} ${target}_mlax_${ARG_NAME})
  target_sources(${target} PRIVATE "${object}")
  set_source_files_properties("${object}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  target_include_directories(${target} PRIVATE "${outdir}")
  target_link_libraries(${target} PRIVATE mlax::embed)
  if(UNIX)
    target_link_libraries(${target} PRIVATE m)
  endif()
endfunction()
