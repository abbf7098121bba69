# s390x: 64-bit IBM Z, big-endian (scripts/cross s390x). See debian-cross.cmake.
set(BBCHECK_CROSS_DEB_ARCH s390x)
set(BBCHECK_CROSS_TRIPLET s390x-linux-gnu)
set(BBCHECK_CROSS_PROCESSOR s390x)
set(BBCHECK_CROSS_QEMU qemu-s390x-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
