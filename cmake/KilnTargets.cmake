# Small helpers so each directory's CMakeLists lists its sources explicitly
# and nothing else.

# kiln_library(NAME SOURCES ... DEPS ...): a static library with Kiln's
# include roots and warnings.
function(kiln_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/core/include)
  target_compile_options(${name} PRIVATE ${KILN_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# kiln_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary
# registered with ctest, one ctest entry per binary (fast to discover).
function(kiln_test name)
  if(NOT KILN_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${KILN_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/core/include)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    KILN_CORPUS_DIR="${KILN_CORPUS_DIR}"
    KILN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    KILN_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name})
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# kiln_fuzzer(NAME SOURCES ... DEPS ... [SEEDS dir]): a libFuzzer target, only
# with KILN_FUZZ. Its seed directory (default: fuzz_seeds/ beside the calling
# CMakeLists) is recorded in <build>/fuzz/NAME.seeds for scripts/run-fuzzers.
function(kiln_fuzzer name)
  if(NOT KILN_FUZZ)
    return()
  endif()
  cmake_parse_arguments(ARG "" "SEEDS" "SOURCES;DEPS" ${ARGN})
  if(NOT ARG_SEEDS)
    set(ARG_SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_seeds)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/core/include)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
  file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/fuzz/${name}.seeds CONTENT "${ARG_SEEDS}\n")
  if(NOT TARGET fuzzers)
    add_custom_target(fuzzers)
  endif()
  add_dependencies(fuzzers ${name})
endfunction()

# kiln_use_allocator(TARGET): links jemalloc into an executable when found.
function(kiln_use_allocator target)
  if(TARGET PkgConfig::JEMALLOC)
    target_link_libraries(${target} PRIVATE PkgConfig::JEMALLOC)
  endif()
endfunction()
