# armhf: 32-bit ARM (hard float), little-endian, 32-bit time_t in Debian 12 (scripts/cross armhf). See debian-cross.cmake.
set(BBCHECK_CROSS_DEB_ARCH armhf)
set(BBCHECK_CROSS_TRIPLET arm-linux-gnueabihf)
set(BBCHECK_CROSS_PROCESSOR armv7l)
set(BBCHECK_CROSS_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
