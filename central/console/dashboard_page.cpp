// The dashboard, the signed-in home: registrations per day (the last 30
// days) and per training event, attendance per event day and requests by
// status, for the account's offices (admins: all), as inline SVG bar charts
// drawn on the server, each with its numbers in a table for screen readers.
#include <algorithm>
#include <chrono>
#include <map>

#include "central/console/pages.hpp"
#include "central/console/records_query.hpp"
#include "common/model/codes.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central::console {
namespace {

constexpr int kDays = 30;           // registrations per day: the last 30 days
constexpr std::size_t kMaxBars = 20;  // per event, per event day: the largest 20 (page weight)
constexpr std::size_t kMaxLabel = 32;  // code points of a bar's label

struct Bar {
  std::string label;  // plain text (escaped when drawn)
  std::int64_t value = 0;
};

// At most `limit` code points of UTF-8 `text`, with an ellipsis when cut.
std::string shortened(std::string_view text, std::size_t limit) {
  std::size_t points = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == limit) return util::cat(text.substr(0, i), "…");
  }
  return std::string(text);
}

// The numbers of a chart as a table, folded away under a summary.
std::string numbers_table(const Context& context, const std::vector<Bar>& bars,
                          std::string_view label_heading) {
  std::string out = util::cat("<details><summary>", context.t("dash.numbers"),
                              "</summary><table><thead><tr><th>", label_heading, "</th><th>",
                              context.t("dash.count"), "</th></tr></thead><tbody>");
  for (const auto& bar : bars) {
    out += util::cat("<tr><td>", html_escape(bar.label), "</td><td>", bar.value, "</td></tr>");
  }
  return out + "</tbody></table></details>";
}

std::int64_t largest(const std::vector<Bar>& bars) {
  std::int64_t most = 1;
  for (const auto& bar : bars) most = std::max(most, bar.value);
  return most;
}

std::string svg_open(std::string_view id, std::string_view title, int width, int height) {
  return util::cat("<svg id=\"", id, "\" viewBox=\"0 0 ", width, " ", height, "\" width=\"", width,
                   "\" height=\"", height, "\" role=\"img\" aria-labelledby=\"", id,
                   "-t\" font-family=\"sans-serif\" font-size=\"12\"><title id=\"", id, "-t\">",
                   html_escape(title), "</title>");
}

// One bar a row, the label on the left and the number after the bar.
std::string horizontal_chart(const Context& context, std::string_view id, std::string_view title,
                             const std::vector<Bar>& bars, std::string_view label_heading) {
  std::string out = util::cat("<section><h3>", html_escape(title), "</h3>");
  if (bars.empty()) return out + util::cat("<p>", context.t("dash.empty"), "</p></section>");
  constexpr int kLabelWidth = 230;
  constexpr int kBarArea = 330;
  constexpr int kRow = 20;
  const int height = static_cast<int>(bars.size()) * kRow + 4;
  out += svg_open(id, title, kLabelWidth + kBarArea + 60, height);
  const std::int64_t most = largest(bars);
  int y = 2;
  for (const auto& bar : bars) {
    const auto width = static_cast<int>(bar.value * kBarArea / most);
    out += util::cat("<text x=\"", kLabelWidth - 6, "\" y=\"", y + 13, "\" text-anchor=\"end\">",
                     html_escape(shortened(bar.label, kMaxLabel)), "</text><rect class=\"bar\" x=\"",
                     kLabelWidth, "\" y=\"", y + 2, "\" width=\"", std::max(width, 1),
                     "\" height=\"15\" fill=\"#1d4e89\"/><text x=\"", kLabelWidth + width + 4,
                     "\" y=\"", y + 13, "\">", bar.value, "</text>");
    y += kRow;
  }
  return out + "</svg>" + numbers_table(context, bars, label_heading) + "</section>";
}

// One column a day, oldest on the left; every fifth day is named under it.
std::string day_chart(const Context& context, std::string_view id, std::string_view title,
                      const std::vector<Bar>& bars) {
  std::string out = util::cat("<section><h3>", html_escape(title), "</h3>");
  constexpr int kSlot = 20;
  constexpr int kPlot = 150;
  const int width = static_cast<int>(bars.size()) * kSlot + 40;
  out += svg_open(id, title, width, kPlot + 40);
  const std::int64_t most = largest(bars);
  out += util::cat("<text x=\"2\" y=\"12\">", most, "</text><line x1=\"30\" y1=\"", kPlot + 10,
                   "\" x2=\"", width, "\" y2=\"", kPlot + 10, "\" stroke=\"#888\"/>");
  int x = 32;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto height = static_cast<int>(bars[i].value * kPlot / most);
    out += util::cat("<rect class=\"bar\" x=\"", x + 3, "\" y=\"", kPlot + 10 - height,
                     "\" width=\"14\" height=\"", height, "\" fill=\"#1d4e89\"><title>",
                     html_escape(bars[i].label), ": ", bars[i].value, "</title></rect>");
    if (i % 5 == 0 || i + 1 == bars.size()) {
      out += util::cat("<text x=\"", x, "\" y=\"", kPlot + 28, "\">",
                       html_escape(bars[i].label.substr(5)), "</text>");
    }
    x += kSlot;
  }
  return out + "</svg>" + numbers_table(context, bars, context.t("dash.day")) + "</section>";
}

// The largest `kMaxBars` counts, largest first (ties by label).
std::vector<Bar> top_bars(const std::map<std::string, std::int64_t>& counts) {
  std::vector<Bar> bars;
  for (const auto& [label, value] : counts) bars.push_back({label, value});
  std::stable_sort(bars.begin(), bars.end(),
                   [](const Bar& a, const Bar& b) { return a.value > b.value; });
  if (bars.size() > kMaxBars) bars.resize(kMaxBars);
  return bars;
}

std::string day_of(std::chrono::sys_days day) {
  return util::iso8601_utc(std::chrono::system_clock::time_point(day)).substr(0, 10);
}

}  // namespace

ApiResponse dashboard_get(Env& env, const ApiRequest&, Context& context) {
  const std::string office = context.visible_office();
  struct Data {
    std::vector<Held<model::Member>> members;
    std::vector<Held<model::Attendance>> attendance;
    std::vector<Held<model::ResourceRequest>> requests;
    std::vector<Held<model::TrainingEvent>> events;
  };
  const Data data = env.accounts.read([&](sql::Connection& db) {
    return Data{members_of(db, office), attendance_of(db, office), requests_of(db, office),
                events_of(db)};
  });
  std::map<std::string, std::string, std::less<>> event_names;
  for (const auto& event : data.events) event_names.emplace(event.record.id, event.record.name);
  const auto event_label = [&](const std::string& id) {
    const auto it = event_names.find(id);
    return it == event_names.end() || it->second.empty() ? id : it->second;
  };

  // Registrations: members that are neither voided nor merged away.
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  std::map<std::string, std::int64_t> per_day;
  for (int back = kDays - 1; back >= 0; --back) per_day[day_of(today - std::chrono::days(back))];
  std::map<std::string, std::int64_t> per_event;
  std::int64_t registered = 0;
  for (const auto& [member_office, m] : data.members) {
    if (m.voided || !m.merged_into.empty()) continue;
    ++registered;
    if (const auto day = per_day.find(m.created_at.substr(0, 10)); day != per_day.end()) {
      ++day->second;
    }
    if (!m.event_id.empty()) ++per_event[event_label(m.event_id)];
  }
  std::vector<Bar> days;
  for (const auto& [day, count] : per_day) days.push_back({day, count});

  // Check-ins per event and day: the most recent kMaxBars event days.
  std::map<std::pair<std::string, std::string>, std::int64_t> per_event_day;  // (day, event)
  std::int64_t check_ins = 0;
  for (const auto& [attendance_office, a] : data.attendance) {
    if (a.voided) continue;
    ++check_ins;
    ++per_event_day[{a.day, a.event_id}];
  }
  std::vector<Bar> event_days;
  for (auto it = per_event_day.rbegin(); it != per_event_day.rend() && event_days.size() < kMaxBars;
       ++it) {
    event_days.push_back({util::cat(it->first.first, " ", event_label(it->first.second)), it->second});
  }

  std::map<model::RequestStatus, std::int64_t> per_status;
  for (const auto& [request_office, r] : data.requests) ++per_status[r.status];
  std::vector<Bar> statuses;
  for (const auto status : {model::RequestStatus::requested, model::RequestStatus::approved,
                            model::RequestStatus::ready, model::RequestStatus::dispatched,
                            model::RequestStatus::delivered, model::RequestStatus::cancelled}) {
    statuses.push_back({tr(context.lang, util::cat("status.", model::to_string(status))),
                        per_status[status]});
  }

  std::string main = util::cat(
      "<p>",
      html_escape(util::format(tr(context.lang, "dash.totals"), registered, check_ins,
                               data.requests.size())),
      office.empty() ? std::string() : util::cat(" ", context.t("col.office"), ": ", html_escape(office)),
      "</p>");
  main += day_chart(context, "per-day", tr(context.lang, "dash.per_day"), days);
  main += horizontal_chart(context, "per-event", tr(context.lang, "dash.per_event"),
                           top_bars(per_event), context.t("dash.event"));
  main += horizontal_chart(context, "per-event-day", tr(context.lang, "dash.per_event_day"),
                           event_days, context.t("dash.event_day"));
  main += horizontal_chart(context, "per-status", tr(context.lang, "dash.per_status"), statuses,
                           context.t("col.status"));
  return page(200, context, tr(context.lang, "dash.title"), "/console/dashboard", main);
}

}  // namespace alliance::central::console
