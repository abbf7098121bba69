# arm64: 64-bit ARM, little-endian (scripts/cross arm64). See debian-cross.cmake.
set(BBCHECK_CROSS_DEB_ARCH arm64)
set(BBCHECK_CROSS_TRIPLET aarch64-linux-gnu)
set(BBCHECK_CROSS_PROCESSOR aarch64)
set(BBCHECK_CROSS_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
