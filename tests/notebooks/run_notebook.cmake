# Executes ${NOTEBOOK} with ${PYTHON} -m nbconvert into ${OUTPUT_DIR}, with TCSIM and
# TCSIM_SOURCE_DIR in the environment; fails if any cell raises. Prints "tcsim-notebook-skipped"
# (the test's skip expression) when the packages are missing and REQUIRE is off.
set(modules "import nbconvert, nbclient, ipykernel, pandas, matplotlib")
execute_process(COMMAND ${PYTHON} -c "${modules}" RESULT_VARIABLE have ERROR_VARIABLE why)
if(NOT have EQUAL 0)
  set(install "apt-get install -y --no-install-recommends python3-nbconvert python3-ipykernel python3-pandas python3-matplotlib")
  if(REQUIRE)
    message(FATAL_ERROR "${PYTHON} cannot import the notebook packages (${why}); install them: ${install}")
  endif()
  message("tcsim-notebook-skipped: ${PYTHON} cannot import the notebook packages; install them: ${install}")
  return()
endif()
get_filename_component(name "${NOTEBOOK}" NAME)
set(ENV{TCSIM} "${TCSIM}")
set(ENV{TCSIM_SOURCE_DIR} "${SOURCE_DIR}")
set(ENV{PYDEVD_DISABLE_FILE_VALIDATION} "1")
execute_process(
  COMMAND ${PYTHON} -Xfrozen_modules=off -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1200
          --output-dir ${OUTPUT_DIR} --output ${name} ${NOTEBOOK}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${name}: a cell failed (nbconvert exit code ${rc})\n${out}\n${err}")
endif()
message("${name}: every cell ran; executed copy in ${OUTPUT_DIR}/${name}")
