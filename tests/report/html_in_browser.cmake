# The report to publish, opened in a real browser (issue 20): `tcsim --html` writes the page,
# Debian's headless Chromium loads it from disk with the network switched off, and the test
# checks that it loaded without a script error and that every chart drew shapes with an area
# (the page's own self-check writes data-charts and data-charts-drawn on its body; any script
# error writes data-script-errors on the document). A screenshot is kept as the test's artifact.
# Chromium missing is a failure, not a skip: CI installs it (README, the second set-up line).
#
# The same inputs must give the same page, byte for byte: tcsim writes it twice.
#
#   cmake -DTCSIM=... -DARGS="a|b" [-DEXPECT_RC=4] -DOUT_DIR=... -DMIN_CHARTS=N -P html_in_browser.cmake
cmake_minimum_required(VERSION 3.20)

find_program(CHROMIUM NAMES chromium chromium-browser)
if(NOT CHROMIUM)
  message(FATAL_ERROR "chromium not found: install Debian's package (apt-get install -y --no-install-recommends chromium)")
endif()

file(MAKE_DIRECTORY "${OUT_DIR}")
set(page "${OUT_DIR}/report.html")
set(shot "${OUT_DIR}/report.png")
file(REMOVE "${page}" "${shot}")
string(REPLACE "|" ";" args "${ARGS}")
if(NOT DEFINED EXPECT_RC)
  set(EXPECT_RC 0)
endif()
foreach(copy "${page}" "${page}.again")
  execute_process(COMMAND "${TCSIM}" ${args} --html "${copy}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL EXPECT_RC)
    message(FATAL_ERROR "tcsim exited ${rc}, expected ${EXPECT_RC}: ${err}")
  endif()
  if(NOT EXISTS "${copy}")
    message(FATAL_ERROR "tcsim wrote no page at ${copy}")
  endif()
endforeach()
file(SHA256 "${page}" first)
file(SHA256 "${page}.again" second)
if(NOT first STREQUAL second)
  message(FATAL_ERROR "the same inputs gave two different pages: ${page} and ${page}.again")
endif()

# --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start. No network: the page
# must need none (a proxy that does not exist fails every fetch).
set(browser "${CHROMIUM}" --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0
  --proxy-server=127.0.0.1:9 --user-data-dir=${OUT_DIR}/chromium-profile)
execute_process(COMMAND ${browser} --dump-dom "file://${page}" RESULT_VARIABLE rc OUTPUT_VARIABLE dom
  ERROR_VARIABLE log TIMEOUT 180)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "chromium --dump-dom exited ${rc}: ${log}")
endif()
if(dom MATCHES "data-script-errors=\"([^\"]*)\"")
  message(FATAL_ERROR "the page has a script error: ${CMAKE_MATCH_1}")
endif()
if(log MATCHES "Uncaught[^\n]*")
  message(FATAL_ERROR "the browser logged a script error: ${CMAKE_MATCH_0}")
endif()
if(NOT dom MATCHES "data-charts=\"([0-9]+)\" data-charts-drawn=\"([0-9]+)\"")
  message(FATAL_ERROR "the page's self-check did not run (no data-charts on its body)")
endif()
set(charts ${CMAKE_MATCH_1})
set(drawn ${CMAKE_MATCH_2})
if(charts LESS MIN_CHARTS)
  message(FATAL_ERROR "${charts} charts on the page, expected at least ${MIN_CHARTS}")
endif()
if(NOT drawn EQUAL charts)
  message(FATAL_ERROR "only ${drawn} of ${charts} charts drew shapes with an area")
endif()
foreach(section verdicts glossary charts sources)
  if(NOT dom MATCHES "<section id=\"${section}\">")
    message(FATAL_ERROR "the rendered page has no '${section}' section")
  endif()
endforeach()

execute_process(COMMAND ${browser} --screenshot=${shot} --window-size=1000,3200 --force-device-scale-factor=0.6 "file://${page}"
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE log TIMEOUT 180)
if(NOT rc EQUAL 0 OR NOT EXISTS "${shot}")
  message(FATAL_ERROR "chromium --screenshot exited ${rc} and wrote no ${shot}: ${log}")
endif()
file(SIZE "${shot}" bytes)
if(bytes LESS 10000)
  message(FATAL_ERROR "the screenshot ${shot} is only ${bytes} bytes")
endif()
message(STATUS "${charts} charts drawn; screenshot ${shot} (${bytes} bytes)")
