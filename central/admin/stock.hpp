// stock list: CSV and JSON forms of the on-hand stock per office and pack.
#pragma once

#include <string>
#include <vector>

#include "central/store/central_store.hpp"

namespace alliance::central {

std::string stock_csv(const std::vector<StockLevel>& levels);
std::string stock_json(const std::vector<StockLevel>& levels);

}  // namespace alliance::central
