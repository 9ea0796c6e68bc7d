// The central store's SQL migrations, embedded at build time (see cmake/EmbedFiles.cmake).
#pragma once

#include <span>

#include "common/store/embedded.hpp"

namespace alliance::store {

// central/migrations/*.sql, sorted by name (and so by number).
std::span<const EmbeddedFile> central_migrations();
// central/migrations/postgresql/*.sql: the same versions for PostgreSQL.
std::span<const EmbeddedFile> central_postgresql_migrations();

}  // namespace alliance::store
