# Shared by the per-architecture toolchain files (cmake/toolchains/ARCH.cmake,
# used by scripts/cross): a cross build against Debian's multiarch libraries
# (dpkg --add-architecture ARCH; libpoco-dev:ARCH, ...), whose tests CTest runs
# under qemu-user. Each file sets BBCHECK_CROSS_TRIPLET (the GNU triplet and
# multiarch directory), BBCHECK_CROSS_DEB_ARCH (the .deb's architecture),
# BBCHECK_CROSS_PROCESSOR, BBCHECK_CROSS_QEMU and, where the multiarch directory
# is not the triplet, BBCHECK_CROSS_MULTIARCH.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${BBCHECK_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${BBCHECK_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${BBCHECK_CROSS_TRIPLET}-g++)
# Multiarch: the ARCH libraries live in /usr/lib/TRIPLET of the same root, so
# there is no sysroot; CMake searches that directory by this name.
# (i386's libraries are in i386-linux-gnu, its compiler is i686-linux-gnu-g++.)
if(NOT BBCHECK_CROSS_MULTIARCH)
  set(BBCHECK_CROSS_MULTIARCH ${BBCHECK_CROSS_TRIPLET})
endif()
set(CMAKE_LIBRARY_ARCHITECTURE ${BBCHECK_CROSS_MULTIARCH})
# pkg-config must see the ARCH .pc files only, never the build machine's.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/${BBCHECK_CROSS_MULTIARCH}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Programs (help2man, python3) are the build machine's; libraries and
# headers must be the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# armhf: GCC notes that std::vector iterators are passed differently since
# GCC 7.1 (an ABI note about old objects, not a problem in this code).
set(CMAKE_CXX_FLAGS_INIT "-Wno-psabi")
# The target's loader is at its multiarch path (/lib/ld-*.so), so qemu finds
# the ARCH libraries without -L. CTest runs every test binary through it, and
# so does gtest_discover_tests.
find_program(BBCHECK_QEMU ${BBCHECK_CROSS_QEMU} REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${BBCHECK_QEMU})
