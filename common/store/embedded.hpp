// Files embedded in the binary at build time (see cmake/EmbedFiles.cmake).
#pragma once

#include <span>
#include <string_view>

namespace alliance::store {

struct EmbeddedFile {
  std::string_view name;  // file name, e.g. "0001_initial.sql"
  std::string_view content;
};

// The device store's migrations, sorted by name (and so by number).
std::span<const EmbeddedFile> embedded_migrations();

}  // namespace alliance::store
