# `tcsim search` gives the same stdout, byte for byte, on one thread and on two.
# Usage: cmake -DTCSIM=<tcsim> "-DARGS=a|b|c" -P search_same_output.cmake
string(REPLACE "|" ";" argv "${ARGS}")
execute_process(COMMAND ${TCSIM} ${argv} -j 1 RESULT_VARIABLE rc1 OUTPUT_VARIABLE out1 ERROR_VARIABLE err1)
execute_process(COMMAND ${TCSIM} ${argv} -j 2 RESULT_VARIABLE rc2 OUTPUT_VARIABLE out2 ERROR_VARIABLE err2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "tcsim search failed: -j 1 exit ${rc1} (${err1}); -j 2 exit ${rc2} (${err2})")
endif()
if(out1 STREQUAL "")
  message(FATAL_ERROR "tcsim search wrote nothing")
endif()
if(NOT out1 STREQUAL out2)
  message(FATAL_ERROR "-j 1 and -j 2 differ\n--- -j 1:\n${out1}\n--- -j 2:\n${out2}")
endif()
