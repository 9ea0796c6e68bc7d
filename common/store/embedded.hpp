// The device store's migrations, embedded at build time.
#pragma once

#include <span>

#include "common/util/embedded.hpp"

namespace alliance::store {

using util::EmbeddedFile;

// Sorted by name, and so by number.
std::span<const EmbeddedFile> embedded_migrations();

}  // namespace alliance::store
