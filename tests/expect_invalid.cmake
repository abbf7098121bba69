# Runs `bbcheck validate PROFILE` and checks it exits 2 with the message the
# profile's first line promises ("# expect: TEXT"; @FILE@ stands for its path).
file(STRINGS ${PROFILE} first LIMIT_COUNT 1)
string(REGEX REPLACE "^# expect: " "" expected "${first}")
string(REPLACE "@FILE@" "${PROFILE}" expected "${expected}")
# EMULATOR: qemu-user in a cross build (empty otherwise).
execute_process(COMMAND ${EMULATOR} ${BBCHECK} validate ${PROFILE} TIMEOUT 60
                RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT code EQUAL 2)
  message(FATAL_ERROR "expected exit 2, got ${code}\nstdout: ${out}\nstderr: ${err}")
endif()
string(FIND "${err}" "${expected}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "stderr lacks the expected message\n  expected: ${expected}\n  stderr:   ${err}")
endif()
