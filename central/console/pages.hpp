// The console's pages, each a PageHandler (page.hpp) that console.cpp's route
// table calls after the session and (for POST) the CSRF token are checked.
// Each page checks the account's role and office itself.
#pragma once

#include "central/console/page.hpp"

namespace alliance::central::console {

// requests_page.cpp: the queue, and the decisions posted from it.
ApiResponse requests_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse requests_post(Env& env, const ApiRequest& request, Context& context);

// devices_page.cpp: devices with last contact and clock offset; revoke; enrolment codes.
ApiResponse devices_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse devices_post(Env& env, const ApiRequest& request, Context& context);
// events_page.cpp: training events, created and edited as server changes.
ApiResponse events_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse events_post(Env& env, const ApiRequest& request, Context& context);
// catalogue_page.cpp: resource packs and their stock per office.
ApiResponse catalogue_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse catalogue_post(Env& env, const ApiRequest& request, Context& context);
// exports_page.cpp: CSV downloads of members, requests and attendance.
ApiResponse exports_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse exports_post(Env& env, const ApiRequest& request, Context& context);
// audit_page.cpp: the audit log (admins only) and its CSV download.
ApiResponse audit_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse audit_post(Env& env, const ApiRequest& request, Context& context);

// duplicates_page.cpp: possible duplicate members of an office, and their merge.
ApiResponse duplicates_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse duplicates_post(Env& env, const ApiRequest& request, Context& context);

// stock_page.cpp: on-hand stock per office and pack.
ApiResponse stock_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse stock_post(Env& env, const ApiRequest& request, Context& context);

// dashboard_page.cpp, members_page.cpp: the dashboard, the members list, one member.
ApiResponse dashboard_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse members_get(Env& env, const ApiRequest& request, Context& context);
ApiResponse member_get(Env& env, const ApiRequest& request, Context& context);

}  // namespace alliance::central::console
