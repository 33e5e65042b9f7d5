# tracemalloc_instrument(target): compile a target's C and C++ sources with
# the TraceMalloc pass plugin, give them the API's headers and link the
# runtime, as tm-clang and tm-clang++ do.  Part of the installed CMake
# package; needs TraceMalloc_PLUGIN and TraceMalloc_LLVM_VERSION_MAJOR.

# The languages of a target's sources that the plugin concerns (C, CXX).
function(_tracemalloc_target_languages target out)
  get_target_property(sources ${target} SOURCES)
  set(languages "")
  foreach(source IN LISTS sources)
    get_source_file_property(language "${source}" LANGUAGE)
    if(NOT language)
      get_filename_component(ext "${source}" LAST_EXT)
      if(ext)
        string(SUBSTRING "${ext}" 1 -1 ext)  # without the dot
      endif()
      foreach(candidate C CXX)
        if(ext AND ext IN_LIST CMAKE_${candidate}_SOURCE_FILE_EXTENSIONS)
          set(language ${candidate})
        endif()
      endforeach()
    endif()
    if(language MATCHES "^(C|CXX)$")
      list(APPEND languages ${language})
    endif()
  endforeach()
  # No source yet (target_sources() may come later): every enabled one.
  if(NOT languages)
    get_property(enabled GLOBAL PROPERTY ENABLED_LANGUAGES)
    foreach(candidate C CXX)
      if(candidate IN_LIST enabled)
        list(APPEND languages ${candidate})
      endif()
    endforeach()
  endif()
  list(REMOVE_DUPLICATES languages)
  set(${out} "${languages}" PARENT_SCOPE)
endfunction()

function(tracemalloc_instrument target)
  if(NOT TARGET ${target})
    message(FATAL_ERROR "tracemalloc_instrument: no target named ${target}")
  endif()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    message(FATAL_ERROR "tracemalloc_instrument(${target}): an interface library has no sources to compile")
  endif()

  _tracemalloc_target_languages(${target} languages)
  # A plugin loaded into a clang of another LLVM major fails in the middle
  # of the build: say it here, with both versions.
  foreach(lang IN LISTS languages)
    set(id "${CMAKE_${lang}_COMPILER_ID}")
    set(version "${CMAKE_${lang}_COMPILER_VERSION}")
    string(REGEX MATCH "^[0-9]+" major "${version}")
    if(NOT id STREQUAL "Clang" OR NOT major STREQUAL TraceMalloc_LLVM_VERSION_MAJOR)
      if(lang STREQUAL "CXX")
        set(clang "${TraceMalloc_CLANGXX}")
      else()
        set(clang "${TraceMalloc_CLANG}")
      endif()
      message(FATAL_ERROR
        "tracemalloc_instrument(${target}): the TraceMalloc plugin is built for LLVM "
        "${TraceMalloc_LLVM_VERSION_MAJOR}, but the ${lang} compiler "
        "(CMAKE_${lang}_COMPILER=${CMAKE_${lang}_COMPILER}) is ${id} ${version}: "
        "configure with -DCMAKE_${lang}_COMPILER=${clang}")
    endif()
  endforeach()

  # -fplugin as well as -fpass-plugin: clang then knows the pass's
  # -mllvm -tracemalloc-* options (docs/design-pass.md).
  set(plugin "${TraceMalloc_PLUGIN}")
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:C,CXX>:-fpass-plugin=${plugin}>"
    "$<$<COMPILE_LANGUAGE:C,CXX>:-fplugin=${plugin}>")
  # Frames name source lines only with debug info: like the wrappers, add
  # line tables where the configuration's flags have no -g of their own.
  get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
  if(multi_config)
    set(configs ${CMAKE_CONFIGURATION_TYPES})
  elseif(CMAKE_BUILD_TYPE)
    set(configs "${CMAKE_BUILD_TYPE}")
  else()
    set(configs "<none>")  # CMAKE_<LANG>_FLAGS only
  endif()
  foreach(lang IN LISTS languages)
    foreach(config IN LISTS configs)
      string(TOUPPER "${config}" upper)
      set(flags " ${CMAKE_${lang}_FLAGS} ")
      if(NOT config STREQUAL "<none>")
        string(APPEND flags "${CMAKE_${lang}_FLAGS_${upper}} ")
      endif()
      if(NOT flags MATCHES " -g")
        if(multi_config)
          target_compile_options(${target} PRIVATE
            "$<$<AND:$<CONFIG:${config}>,$<COMPILE_LANGUAGE:${lang}>>:-gline-tables-only>")
        else()
          target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:${lang}>:-gline-tables-only>")
        endif()
      endif()
    endforeach()
  endforeach()

  target_include_directories(${target} PRIVATE "${TraceMalloc_INCLUDE_DIR}")
  # The shared runtime, in the target's own link (it interposes malloc & co.
  # for the whole process from there).  Appended to the properties rather
  # than through target_link_libraries, which would clash with a project's
  # plain or keyword signature.
  set_property(TARGET ${target} APPEND PROPERTY LINK_LIBRARIES TraceMalloc::runtime)
  if(type STREQUAL "STATIC_LIBRARY" OR type STREQUAL "OBJECT_LIBRARY")
    set_property(TARGET ${target} APPEND PROPERTY INTERFACE_LINK_LIBRARIES
      "$<LINK_ONLY:TraceMalloc::runtime>")
  endif()
endfunction()
