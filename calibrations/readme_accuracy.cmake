# Runs `tcsim validate calibrations --json` into ${JSON} (exit 0: all within tolerance, 3: some
# outside; both are a report), then readme_accuracy to update (MODE=update) or check
# (MODE=check) the README's accuracy section.
# The same run writes the measured model uncertainty: into topologies/model_uncertainty.toml
# (MODE=update), or beside ${JSON} to be compared with the shipped file (MODE=check).
if(MODE STREQUAL "check")
  set(uncertainty "${JSON}.model_uncertainty.toml")
else()
  set(uncertainty "topologies/model_uncertainty.toml")
endif()
execute_process(COMMAND ${TCSIM} validate calibrations --json --write-uncertainty ${uncertainty}
                OUTPUT_FILE ${JSON} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0 AND NOT rc EQUAL 3)
  message(FATAL_ERROR "tcsim validate failed (exit ${rc}):\n${err}")
endif()
if(MODE STREQUAL "check")
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${uncertainty} topologies/model_uncertainty.toml
                  RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    message(FATAL_ERROR "topologies/model_uncertainty.toml differs from what tcsim validate measures today "
                        "(${uncertainty}); rebuild the readme-accuracy target to rewrite both")
  endif()
  execute_process(COMMAND ${TOOL} ${JSON} ${README} --check RESULT_VARIABLE rc)
else()
  execute_process(COMMAND ${TOOL} ${JSON} ${README} RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readme_accuracy ${MODE} failed (exit ${rc})")
endif()
