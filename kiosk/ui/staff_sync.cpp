// Staff: what the sync agent last reported, the queue, rejected changes and "Sync now".
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>

#include "common/util/strings.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"

namespace alliance::kiosk::ui {
namespace {

// The agent's measured clock offset (server minus device) in whole minutes;
// empty until measured.
std::string clock_offset_text(const Ctx& c, const std::optional<std::int64_t>& offset_ms) {
  if (!offset_ms) return "";
  const std::int64_t minutes = (*offset_ms < 0 ? -*offset_ms : *offset_ms) / 60'000;
  if (minutes == 0) return c.tr("staff.sync.clock_in_step");
  if (*offset_ms > 0) return c.trf("staff.sync.clock_behind", {util::cat(minutes)});
  return c.trf("staff.sync.clock_ahead", {util::cat(minutes)});
}

// Free space on the database's disk in MB, flagged below the warning line.
std::string free_space_text(const Ctx& c, const StoreHealth& store) {
  if (!store.free_bytes) return c.tr("staff.sync.free_space_unknown");
  const std::string megabytes = util::cat(*store.free_bytes / (1024 * 1024));
  return c.trf(store.space_warning ? "staff.sync.free_space_low" : "staff.sync.free_space_value",
               {megabytes});
}

// "12.3 KB" with the unit in the desk's language.
std::string data_text(const Ctx& c, std::uint64_t bytes) {
  const std::string amount = util::data_amount(bytes);
  const auto space = amount.rfind(' ');
  return c.trf(util::cat("staff.sync.unit.", amount.substr(space + 1)), {amount.substr(0, space)});
}

// Today's and this month's bytes, and the daily budget when there is one.
std::string data_use_text(const Ctx& c, const store::DataUse& use) {
  if (use.daily_budget == 0) {
    return c.trf("staff.sync.data_value", {data_text(c, use.today), data_text(c, use.this_month)});
  }
  return c.trf("staff.sync.data_budget", {data_text(c, use.today), data_text(c, use.this_month),
                                          data_text(c, use.daily_budget)});
}

}  // namespace

void draw_staff_sync(Ctx& c) {
  const SyncBadge& sync = c.state.sync;
  const store::SyncStatus& st = sync.status;
  title(c.tr("staff.sync.title"));
  text(sync_badge_text(c));
  ImGui::Dummy(ImVec2(0.0f, gap() * 0.5f));

  if (ImGui::BeginTable("##sync", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed,
                            ImGui::GetFontSize() * 14.0f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    // "Idle" reads "up to date" only when nothing waits and nothing was refused.
    const std::string state = st.state.empty()                                 ? "unknown"
                              : st.state == "idle" && !sync.queue.all_synced() ? "idle_unsynced"
                                                                               : st.state;
    label_value_row(c.tr("staff.sync.state"), sync.agent_silent
                                                  ? agent_silent_text(c)
                                                  : c.tr(util::cat("sync.state.", state)));
    label_value_row(c.tr("staff.sync.waiting"), util::cat(sync.queue.pending));
    label_value_row(c.tr("staff.sync.held"), util::cat(sync.queue.held));
    label_value_row(c.tr("staff.sync.synced"), util::cat(sync.queue.acked));
    label_value_row(c.tr("staff.sync.rejected"), util::cat(sync.queue.rejected));
    label_value_row(c.tr("staff.sync.quarantined"), util::cat(sync.queue.quarantined));
    label_value_row(c.tr("staff.sync.last_success"), local_date_time(st.last_success_at));
    label_value_row(c.tr("staff.sync.last_attempt"), local_date_time(st.last_attempt_at));
    label_value_row(c.tr("staff.sync.last_error"), st.last_error);
    label_value_row(c.tr("staff.sync.next_retry"), local_date_time(st.next_retry_at));
    label_value_row(
        c.tr("staff.sync.last_counts"),
        c.trf("staff.sync.counts", {util::cat(st.last_pushed), util::cat(st.last_pulled)}));
    label_value_row(c.tr("staff.sync.server"), st.server_url);
    label_value_row(c.tr("staff.sync.clock"), clock_offset_text(c, st.clock_offset_ms));
    label_value_row(c.tr("staff.sync.data"), data_use_text(c, sync.data_use));
    label_value_row(c.tr("staff.sync.free_space"), free_space_text(c, c.state.store));
    if (!c.state.last_store_error.empty()) {
      label_value_row(c.tr("staff.sync.last_store_error"), c.state.last_store_error);
    }
    ImGui::EndTable();
  }
  if (sync.data_use.budget_spent()) {
    text(c.tr("staff.sync.pulls_paused"), {.wrap = true, .colour = theme().warning});
  }

  ImGui::Dummy(ImVec2(0.0f, gap()));
  if (big_button(c.tr("staff.sync.now"), "sync_now")) c.emit(intent::SyncNow{});
  default_focus(c);
  if (sync.sync_requested) {
    ImGui::SameLine();
    hint(c.tr("staff.sync.requested"));
  }

  ImGui::Dummy(ImVec2(0.0f, gap()));
  text(c.tr("staff.sync.rejected_title"));
  if (sync.rejected.empty()) {
    hint(c.tr("staff.sync.rejected_none"));
  } else {
    hint(c.tr("staff.sync.rejected_hint"));
  }
  for (const store::OutboxEntry& e : sync.rejected) {
    ImGui::PushID(e.change_id.c_str());
    ImGui::Separator();
    const std::string standing = e.held() ? "held" : e.state;
    text(util::cat(c.tr(util::cat("staff.sync.standing.", standing)), "  ·  ", e.entity, " ",
                   e.entity_id, " (", e.op, ")  ·  ", local_date_time(e.created_at)));
    text(util::cat(e.reject_code, ": ", e.reject_message),
         {.wrap = true, .colour = e.held() ? theme().warning : theme().error});
    if (e.held() && !e.retry_at.empty()) {
      hint(c.trf("staff.sync.held_until", {local_date_time(e.retry_at)}));
    }
    ImGui::PopID();
  }
  staff_back(c);
}

}  // namespace alliance::kiosk::ui
