# Runs one libFuzzer target for SECONDS seconds from the seed corpus SEEDS into CORPUS, with the
# dictionary DICT; a crash input lands in ARTIFACTS and fails the test with libFuzzer's report.
file(MAKE_DIRECTORY "${CORPUS}" "${ARTIFACTS}")
execute_process(
  COMMAND "${FUZZER}" "${CORPUS}" "${SEEDS}" "-dict=${DICT}" "-max_total_time=${SECONDS}" "-timeout=10"
          "-rss_limit_mb=4096" "-max_len=65536" "-print_final_stats=1" "-artifact_prefix=${ARTIFACTS}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${err}")
message(STATUS "${FUZZER}: ${runs}")
if(NOT rc EQUAL 0)
  string(LENGTH "${err}" n)
  if(n GREATER 6000)
    math(EXPR from "${n} - 6000")
    string(SUBSTRING "${err}" ${from} 6000 err)
  endif()
  message(FATAL_ERROR "${FUZZER} found a problem (exit ${rc}); the input is in ${ARTIFACTS}\n${err}")
endif()
