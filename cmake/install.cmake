# What `cmake --install` puts on a machine, and the .deb CPack makes of it:
# the binary and its session helper (libexec), its man page, bash and zsh
# completion, the report's JSON Schema, the shipped profiles (the binary
# also carries the profiles inside) and the systemd units of the Prometheus
# textfile timer.
include(GNUInstallDirs)

install(TARGETS bbcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET bbcheck-session)
  install(TARGETS bbcheck-session RUNTIME DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/bbcheck)
endif()
install(FILES ${PROFILE_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/bbcheck/profiles)
install(FILES ${PROJECT_SOURCE_DIR}/schema/report-v1.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bbcheck/schema)

# Completion scripts know the built-in profile names from profiles/*.yaml.
set(BBCHECK_PROFILE_NAMES "")
foreach(profile ${PROFILE_FILES})
  get_filename_component(name ${profile} NAME_WE)
  string(APPEND BBCHECK_PROFILE_NAMES " ${name}")
endforeach()
string(STRIP "${BBCHECK_PROFILE_NAMES}" BBCHECK_PROFILE_NAMES)
configure_file(${PROJECT_SOURCE_DIR}/contrib/completion/bbcheck.bash.in
               ${PROJECT_BINARY_DIR}/completion/bbcheck @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/contrib/completion/_bbcheck.in
               ${PROJECT_BINARY_DIR}/completion/_bbcheck @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/completion/bbcheck
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Debian's zsh searches vendor-completions under /usr and site-functions under
# /usr/local. The prefix is only known at install time (cpack installs into
# /usr whatever the build's prefix), so the directory is chosen then.
install(CODE "
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(bbcheck_zsh_dir share/zsh/vendor-completions)
  else()
    set(bbcheck_zsh_dir share/zsh/site-functions)
  endif()
  file(INSTALL \"${PROJECT_BINARY_DIR}/completion/_bbcheck\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${bbcheck_zsh_dir}\")
")

# Files that name where bbcheck is installed (the man page's FILES, the
# systemd unit's ExecStart) get the prefix when they are installed: only then
# is it known (cpack installs into /usr whatever the build's prefix). Each
# @BBCHECK_BINDIR@, @BBCHECK_DATADIR@ and @BBCHECK_UNITDIR@ in SOURCE becomes
# the directory under the install prefix; the result goes to DESTINATION
# (under the prefix), gzipped when GZIP is given (man pages).
function(bbcheck_install_with_prefix source destination)
  cmake_parse_arguments(ARG "GZIP" "" "" ${ARGN})
  get_filename_component(name ${source} NAME)
  string(REGEX REPLACE "\\.in$" "" name ${name})
  set(gzip 0)  # a number: the install script's if() has no policies set
  if(ARG_GZIP)
    set(gzip 1)
  endif()
  # Staged in a directory of its own for each install: cpack and a test's
  # `cmake --install --prefix` may install from one build at once.
  install(CODE "
    string(RANDOM LENGTH 12 tag)
    set(stage_dir \"${PROJECT_BINARY_DIR}/installing/\${tag}\")
    set(staged \"\${stage_dir}/${name}\")
    file(READ \"${source}\" text)
    foreach(pair \"BINDIR;${CMAKE_INSTALL_BINDIR}\" \"DATADIR;${CMAKE_INSTALL_DATADIR}\"
                 \"UNITDIR;lib/systemd/system\")
      list(GET pair 0 key)
      list(GET pair 1 dir)
      string(REPLACE \"@BBCHECK_\${key}@\" \"\${CMAKE_INSTALL_PREFIX}/\${dir}\" text \"\${text}\")
    endforeach()
    file(WRITE \"\${staged}\" \"\${text}\")
    if(${gzip})
      execute_process(COMMAND gzip -9nf \"\${staged}\" COMMAND_ERROR_IS_FATAL ANY)
      set(staged \"\${staged}.gz\")
    endif()
    file(INSTALL \"\${staged}\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${destination}\")
    file(REMOVE_RECURSE \"\${stage_dir}\")
  ")
endfunction()

# The systemd units of contrib/systemd/ (bbcheck's Prometheus textfile, run
# hourly): where systemd looks under the prefix (/usr/lib/systemd/system for
# the .deb, /usr/local/lib/systemd/system for README command 1).
bbcheck_install_with_prefix(${PROJECT_SOURCE_DIR}/contrib/systemd/bbcheck-textfile.service.in
                            lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/contrib/systemd/bbcheck-textfile.timer
        DESTINATION lib/systemd/system)

# The man page is made from bbcheck's own --help and every command's --help
# (contrib/man/help-for-man.sh) plus the hand-written sections in
# contrib/man/bbcheck.h2m, so the options are never written twice.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(MAN_PAGE ${PROJECT_BINARY_DIR}/man/bbcheck.1)
  # A cross build (scripts/cross) asks its bbcheck for --help under qemu-user.
  set(bbcheck_man_emulator "")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    set(bbcheck_man_emulator "BBCHECK_EMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR} ")
  endif()
  add_custom_command(
    OUTPUT ${MAN_PAGE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${HELP2MAN} --no-info --section=1 --source=bbcheck
            --include=${PROJECT_SOURCE_DIR}/contrib/man/bbcheck.h2m --output=${MAN_PAGE}
            "${bbcheck_man_emulator}${PROJECT_SOURCE_DIR}/contrib/man/help-for-man.sh $<TARGET_FILE:bbcheck>"
    DEPENDS bbcheck ${PROJECT_SOURCE_DIR}/contrib/man/bbcheck.h2m
            ${PROJECT_SOURCE_DIR}/contrib/man/help-for-man.sh
    COMMENT "Generating the man page bbcheck.1 from bbcheck --help")
  add_custom_target(manpage ALL DEPENDS ${MAN_PAGE})
  bbcheck_install_with_prefix(${MAN_PAGE} ${CMAKE_INSTALL_MANDIR}/man1 GZIP)
else()
  message(WARNING "help2man not found: no man page (apt-get install help2man)")
endif()

install(FILES ${PROJECT_SOURCE_DIR}/contrib/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
add_custom_command(
  OUTPUT ${PROJECT_BINARY_DIR}/debian/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/debian
  COMMAND gzip -9nc ${PROJECT_SOURCE_DIR}/contrib/debian/changelog > ${PROJECT_BINARY_DIR}/debian/changelog.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/contrib/debian/changelog)
add_custom_target(debian_changelog ALL DEPENDS ${PROJECT_BINARY_DIR}/debian/changelog.gz)
install(FILES ${PROJECT_BINARY_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# scripts/package (cpack in a build directory): a .deb installing into /usr,
# its dependencies from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bbcheck)
set(CPACK_PACKAGE_VENDOR "bbcheck developers")
# A farm that builds its own package names itself: -DBBCHECK_PACKAGE_CONTACT=...
set(BBCHECK_PACKAGE_CONTACT "bbcheck developers <bbcheck-developers@example.org>"
    CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${BBCHECK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "checks whether a host is ready to be a Buildbot worker")
set(CPACK_PACKAGE_DESCRIPTION
    "bbcheck runs a YAML-declared suite of checks (resources as the worker's\ncgroup sees them, network, toolchain, build area, boot entry) and\nreports pass or fail with a fix for every failure, as text, JSON,\nJUnit or TAP.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# A cross build's package is of its target (cmake/toolchains/ARCH.cmake), not
# of the machine that built it; dpkg-shlibdeps then needs DEB_HOST_ARCH in
# its environment (scripts/cross sets it).
if(BBCHECK_CROSS_DEB_ARCH)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${BBCHECK_CROSS_DEB_ARCH})
endif()
include(CPack)
