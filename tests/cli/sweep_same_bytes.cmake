# tcsim sweep gives the same bytes serial (-j 1), threaded (-j 3) and under MPI
# (mpirun --oversubscribe --allow-run-as-root -n 3); MPI is skipped with a message ("tcsim-mpi-
# skipped", the test's skip expression) when CMake did not find it at configure time.
#   -DTCSIM=... -DSWEEP=... -DMPIEXEC=... (empty: no MPI) -DARGS=a|b|c
string(REPLACE "|" ";" extra "${ARGS}")
function(run_sweep out_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN}\n--- exit code ${rc}\n--- stdout:\n${out}\n--- stderr:\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()
run_sweep(serial ${TCSIM} sweep ${SWEEP} -j 1 ${extra})
run_sweep(threaded ${TCSIM} sweep ${SWEEP} -j 3 ${extra})
if(serial STREQUAL "")
  message(FATAL_ERROR "the serial sweep wrote nothing")
endif()
if(NOT serial STREQUAL threaded)
  message(FATAL_ERROR "-j 3 gave other bytes than -j 1\n--- -j 1:\n${serial}\n--- -j 3:\n${threaded}")
endif()
if(MPIEXEC STREQUAL "")
  message("tcsim-mpi-skipped: CMake found no MPI at configure time (apt-get install libopenmpi-dev openmpi-bin); serial = threaded checked")
  return()
endif()
# Open MPI's own start-up allocations are never freed; under the sanitize preset LeakSanitizer
# would report them as ours.
set(ENV{ASAN_OPTIONS} "detect_leaks=0")
run_sweep(mpi ${MPIEXEC} --oversubscribe --allow-run-as-root -n 3 ${TCSIM} sweep ${SWEEP} -j 1 ${extra})
if(NOT serial STREQUAL mpi)
  message(FATAL_ERROR "mpirun -n 3 gave other bytes than the serial run\n--- serial:\n${serial}\n--- mpi:\n${mpi}")
endif()
message("serial = -j 3 = mpirun -n 3, byte for byte")
