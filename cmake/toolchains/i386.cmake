# i386: 32-bit x86, little-endian, 32-bit time_t (scripts/cross i386). See debian-cross.cmake.
set(BBCHECK_CROSS_DEB_ARCH i386)
set(BBCHECK_CROSS_TRIPLET i686-linux-gnu)
set(BBCHECK_CROSS_MULTIARCH i386-linux-gnu)
set(BBCHECK_CROSS_PROCESSOR i686)
set(BBCHECK_CROSS_QEMU qemu-i386-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
