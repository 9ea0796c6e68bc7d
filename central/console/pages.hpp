// The console's pages, each a PageHandler (page.hpp) that console.cpp's route
// table calls after the session and (for POST) the CSRF token are checked.
// Each page checks the account's role and office itself.
#pragma once

#include "central/console/page.hpp"

namespace alliance::central::console {

// requests_page.cpp: the queue, and the decisions posted from it.
ApiResponse requests_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse requests_post(Env& env, const ApiRequest& request, Context& context);

// dashboard_page.cpp, members_page.cpp: the dashboard, the members list, one member.
ApiResponse dashboard_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse members_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse member_get(Env& env, const ApiRequest& request, Context& context);

}  // namespace alliance::central::console
