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

constexpr int kDays = 30;              // registrations per day: the last 30 days
constexpr std::size_t kMaxBars = 20;   // per event, per event day: the largest 20 (page weight)
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
  std::string out =
      util::cat("<details><summary>", context.t("dash.numbers"), "</summary><table><thead><tr><th>",
                label_heading, "</th><th>", context.t("dash.count"), "</th></tr></thead><tbody>");
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
    out +=
        util::cat("<text x=\"", kLabelWidth - 6, "\" y=\"", y + 13, "\" text-anchor=\"end\">",
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
  const int width = static_cast<int>(bars.size()) * kSlot + 60;  // room for the last day's name
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

std::string day_of(std::chrono::sys_days day) {
  return util::iso8601_utc(std::chrono::system_clock::time_point(day)).substr(0, 10);
}

}  // namespace

ApiResponse dashboard_get(Env& env, const ApiRequest&, Context& context) {
  const std::string office = context.visible_office();
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::string since = day_of(today - std::chrono::days(kDays - 1));
  struct Data {
    std::int64_t members = 0;
    std::int64_t check_ins = 0;
    std::int64_t requests = 0;
    std::vector<Count> per_day;
    std::vector<Count> per_event;
    std::vector<EventDayCount> per_event_day;
    std::vector<Count> per_status;
    std::map<std::string, std::string, std::less<>> event_names;
  };
  const Data data = env.accounts.read([&](sql::Connection& db) {
    Data d{.members = count_members(db, office),
           .check_ins = count_check_ins(db, office),
           .requests = count_requests(db, office),
           .per_day = registrations_per_day(db, office, since),
           .per_event = registrations_per_event(db, office, kMaxBars),
           .per_event_day = check_ins_per_event_day(db, office, kMaxBars),
           .per_status = requests_per_status(db, office)};
    std::vector<std::string> ids;
    for (const auto& count : d.per_event) ids.push_back(count.key);
    for (const auto& count : d.per_event_day) ids.push_back(count.event_id);
    d.event_names = event_names(db, ids);
    return d;
  });
  const auto event_label = [&](const std::string& id) {
    const auto it = data.event_names.find(id);
    return it == data.event_names.end() || it->second.empty() ? id : it->second;
  };

  // Every one of the last kDays days has a bar, zero or not.
  std::map<std::string, std::int64_t> per_day;
  for (int back = kDays - 1; back >= 0; --back) per_day[day_of(today - std::chrono::days(back))];
  for (const auto& count : data.per_day) {
    if (const auto day = per_day.find(count.key); day != per_day.end()) day->second = count.count;
  }
  std::vector<Bar> days;
  for (const auto& [day, count] : per_day) days.push_back({day, count});
  std::vector<Bar> events;
  for (const auto& count : data.per_event) events.push_back({event_label(count.key), count.count});
  std::vector<Bar> event_days;
  for (const auto& count : data.per_event_day) {
    event_days.push_back({util::cat(count.day, " ", event_label(count.event_id)), count.count});
  }
  std::vector<Bar> statuses;
  for (const auto status : {model::RequestStatus::requested, model::RequestStatus::approved,
                            model::RequestStatus::ready, model::RequestStatus::dispatched,
                            model::RequestStatus::delivered, model::RequestStatus::cancelled}) {
    std::int64_t n = 0;
    for (const auto& count : data.per_status) {
      if (count.key == model::to_string(status)) n = count.count;
    }
    statuses.push_back(
        {std::string(tr(context.lang, util::cat("status.", model::to_string(status)))), n});
  }

  std::string main =
      util::cat("<p>",
                html_escape(util::format(tr(context.lang, "dash.totals"), data.members,
                                         data.check_ins, data.requests)),
                office.empty() ? std::string()
                               : util::cat(" ", context.t("col.office"), ": ", html_escape(office)),
                "</p>");
  main += day_chart(context, "per-day", tr(context.lang, "dash.per_day"), days);
  main += horizontal_chart(context, "per-event", tr(context.lang, "dash.per_event"), events,
                           context.t("dash.event"));
  main += horizontal_chart(context, "per-event-day", tr(context.lang, "dash.per_event_day"),
                           event_days, context.t("dash.event_day"));
  main += horizontal_chart(context, "per-status", tr(context.lang, "dash.per_status"), statuses,
                           context.t("col.status"));
  return page(200, context, tr(context.lang, "dash.title"), "/console/dashboard", main);
}

}  // namespace alliance::central::console
