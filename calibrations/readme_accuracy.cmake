# Runs `tcsim validate calibrations --json` into ${JSON} (exit 0: all within tolerance, 3: some
# outside; both are a report), then readme_accuracy to update (MODE=update) or check
# (MODE=check) the README's accuracy section.
execute_process(COMMAND ${TCSIM} validate calibrations --json OUTPUT_FILE ${JSON} RESULT_VARIABLE rc
                ERROR_VARIABLE err)
if(NOT rc EQUAL 0 AND NOT rc EQUAL 3)
  message(FATAL_ERROR "tcsim validate failed (exit ${rc}):\n${err}")
endif()
if(MODE STREQUAL "check")
  execute_process(COMMAND ${TOOL} ${JSON} ${README} --check RESULT_VARIABLE rc)
else()
  execute_process(COMMAND ${TOOL} ${JSON} ${README} RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readme_accuracy ${MODE} failed (exit ${rc})")
endif()
