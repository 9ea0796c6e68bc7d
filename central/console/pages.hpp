// The console's pages, each a PageHandler (page.hpp) that console.cpp's route
// table calls after the session and (for POST) the CSRF token are checked.
// Each page checks the account's role and office itself.
#pragma once

#include "central/console/page.hpp"

namespace alliance::central::console {

// requests_page.cpp: the queue, and the decisions posted from it.
ApiResponse requests_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse requests_post(Env& env, const ApiRequest& request, Context& context);

// duplicates_page.cpp: possible duplicate members of an office, and their merge.
ApiResponse duplicates_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse duplicates_post(Env& env, const ApiRequest& request, Context& context);

// stock_page.cpp: on-hand stock per office and pack.
ApiResponse stock_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse stock_post(Env& env, const ApiRequest& request, Context& context);

}  // namespace alliance::central::console
