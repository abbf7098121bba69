# Checks of the cross-built binary itself, run under qemu-user (scripts/cross
# ARCH), where widths and byte order differ from amd64: the default profile's
# JSON report states the host's real byte counts (RAM and disk past 4 GiB on
# a 32-bit size_t and time_t) and dates.
add_test(NAME cross.byte_counts
         COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/byte_counts.py
                 ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:bbcheck>)
set_tests_properties(cross.byte_counts PROPERTIES TIMEOUT 300)
