# Embeds text files (SQL migrations, string tables) into a C++ source file as
# raw string literals, so the binaries never depend on files at run time.
#
# alliance_embed_files(OUTPUT out.cpp NAMESPACE ns FUNCTION fn FILES a.sql b.sql)
# generates:  std::span<const alliance::util::EmbeddedFile> ns::fn(), sorted by
# file name; HEADER must declare it (see common/util/embedded.hpp).
set(_ALLIANCE_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/EmbedFilesScript.cmake")

function(alliance_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;NAMESPACE;FUNCTION;HEADER" "FILES" ${ARGN})
  list(SORT ARG_FILES)
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}"
            "-DOUTPUT=${ARG_OUTPUT}" "-DNAMESPACE=${ARG_NAMESPACE}"
            "-DFUNCTION=${ARG_FUNCTION}" "-DHEADER=${ARG_HEADER}"
            "-DFILES=${ARG_FILES}"
            -P "${_ALLIANCE_EMBED_SCRIPT}"
    DEPENDS ${ARG_FILES} "${_ALLIANCE_EMBED_SCRIPT}"
    COMMENT "Embedding ${ARG_FUNCTION} files"
    VERBATIM)
endfunction()
