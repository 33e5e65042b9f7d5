# cmake --install BUILD --prefix P: the wrappers, tm-report, the plugin, the
# runtime, the GoogleTest limits, the headers, the CMake package and the
# pkg-config files; and `cpack -G DEB` over the same tree.  Every installed
# file that names another finds it relative to itself, so P can be moved.
include(CMakePackageConfigHelpers)

set(TM_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/TraceMalloc")
set(TM_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(TARGETS tracemalloc_shared tracemalloc_static
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
if(TARGET tracemalloc_gtest)
  install(TARGETS tracemalloc_gtest ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
endif()
if(TARGET TraceMallocPass)
  install(TARGETS TraceMallocPass LIBRARY DESTINATION "${TM_INSTALL_PLUGINDIR}")
endif()
if(TARGET tm-report)
  install(TARGETS tm-report RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()
# The wrappers: tools/CMakeLists.txt installs their install-tree variant.
install(DIRECTORY "${TM_INCLUDE_DIR}/tracemalloc" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")

configure_package_config_file(cmake/TraceMallocConfig.cmake.in
  "${CMAKE_BINARY_DIR}/install/TraceMallocConfig.cmake"
  INSTALL_DESTINATION "${TM_INSTALL_CMAKEDIR}"
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR TM_INSTALL_PLUGINDIR)
# The plugin works with one LLVM major, not with other versions of the
# package: SameMinorVersion until 1.0.
write_basic_package_version_file("${CMAKE_BINARY_DIR}/install/TraceMallocConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}" COMPATIBILITY SameMinorVersion)
install(FILES
  "${CMAKE_BINARY_DIR}/install/TraceMallocConfig.cmake"
  "${CMAKE_BINARY_DIR}/install/TraceMallocConfigVersion.cmake"
  cmake/TraceMallocInstrument.cmake
  DESTINATION "${TM_INSTALL_CMAKEDIR}")

file(RELATIVE_PATH TM_PC_TO_PREFIX "/prefix/${TM_INSTALL_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" TM_PC_TO_PREFIX "${TM_PC_TO_PREFIX}")
configure_file(cmake/tracemalloc.pc.in "${CMAKE_BINARY_DIR}/install/tracemalloc.pc" @ONLY)
configure_file(cmake/tracemalloc-gtest.pc.in "${CMAKE_BINARY_DIR}/install/tracemalloc-gtest.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/install/tracemalloc.pc" DESTINATION "${TM_INSTALL_PKGCONFIGDIR}")
if(TARGET tracemalloc_gtest)
  install(FILES "${CMAKE_BINARY_DIR}/install/tracemalloc-gtest.pc" DESTINATION "${TM_INSTALL_PKGCONFIGDIR}")
endif()

# cpack -G DEB (run in the build tree): tracemalloc_<version>_<arch>.deb,
# installed under /usr, for the clang of this tree's LLVM.
set(CPACK_PACKAGE_NAME "tracemalloc")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "TraceMalloc")
set(CPACK_PACKAGE_CONTACT "TraceMalloc developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "CPython's tracemalloc for C and C++ (LLVM ${LLVM_VERSION_MAJOR} pass plugin, runtime, tm-report)")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
# Without the build's debug info (cmake --install --strip: executables and
# shared libraries only; the archives keep their symbols).
set(CPACK_STRIP_FILES ON)
# The plugin loads only into this LLVM's clang; the libraries' own needs
# come from dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "clang-${LLVM_VERSION_MAJOR}, llvm-${LLVM_VERSION_MAJOR}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgtest-dev, cmake, pkg-config")
include(CPack)
