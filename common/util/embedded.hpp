// Files embedded in the binaries at build time (cmake/EmbedFiles.cmake), so
// programs never depend on finding data files at run time.
#pragma once

#include <string_view>

namespace alliance::util {

struct EmbeddedFile {
  std::string_view name;  // file name without folder, e.g. "0001_initial.sql"
  std::string_view content;
};

}  // namespace alliance::util
