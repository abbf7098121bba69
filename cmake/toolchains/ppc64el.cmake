# ppc64el: 64-bit POWER, little-endian (scripts/cross ppc64el). See debian-cross.cmake.
set(BBCHECK_CROSS_DEB_ARCH ppc64el)
set(BBCHECK_CROSS_TRIPLET powerpc64le-linux-gnu)
set(BBCHECK_CROSS_PROCESSOR ppc64le)
set(BBCHECK_CROSS_QEMU qemu-ppc64le-static)
include(${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake)
