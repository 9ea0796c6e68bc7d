# cmake -DPROGRAM=path -DNAME=alliance-sync -DSUMMARY="..." -DVERSION=x.y.z -DOUTPUT=file.1.gz
#       -P cmake/ManPage.cmake
# Writes a section-1 manual page from the program's own --help text (so the two
# never disagree) and compresses it the way Debian wants (gzip -9n).
foreach(var PROGRAM NAME SUMMARY VERSION OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "ManPage.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND "${PROGRAM}" --help
                OUTPUT_VARIABLE help RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: ${PROGRAM} --help failed (${rc}): ${err}")
endif()

# roff: a backslash is \e; a line may not start with a control character.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
string(REPLACE "-" "\\-" help "${help}")
string(TOUPPER "${NAME}" upper)
string(TIMESTAMP date "%Y-%m-%d" UTC)  # honours SOURCE_DATE_EPOCH
string(REPLACE "-" "\\-" name_roff "${NAME}")

set(page ".TH ${upper} 1 \"${date}\" \"${NAME} ${VERSION}\" \"Alliance Field Kit\"
.SH NAME
${name_roff} \\- ${SUMMARY}
.SH DESCRIPTION
The text below is the program's own \\fB\\-\\-help\\fR output.
.PP
.nf
${help}.fi
.SH SEE ALSO
/usr/share/doc/${name_roff}/, and the operations guide (docs/OPERATIONS.md)
in the Alliance Field Kit sources.
")

get_filename_component(out_dir "${OUTPUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" plain "${OUTPUT}")
file(WRITE "${plain}" "${page}")
execute_process(COMMAND gzip -9nf "${plain}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ManPage.cmake: gzip failed on ${plain}")
endif()
