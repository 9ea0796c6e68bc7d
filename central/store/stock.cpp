// Stock of resource packs on hand per office: set by an office, taken by dispatches.
#include <map>
#include <utility>

#include "central/store/central_store.hpp"
#include "common/model/limits.hpp"
#include "common/model/text.hpp"
#include "common/util/strings.hpp"
#include "common/util/time.hpp"

namespace alliance::central {
namespace {

std::unexpected<StoreFailure> invalid(std::string field, std::string message) {
  StoreFailure failure{.code = "validation_failed", .message = message};
  failure.errors.push_back({.field = std::move(field), .key = "invalid", .value = {}});
  return std::unexpected(std::move(failure));
}

}  // namespace

StoreResult<StockMove> CentralStore::set_stock(const std::string& office,
                                               const std::string& pack_id, std::int64_t quantity,
                                               const std::string& actor) {
  if (const auto problem = office_name_problem(office)) return invalid("office", *problem);
  if (pack_id.empty() || pack_id.size() > model::kMaxPackIdLength ||
      model::has_control_characters(pack_id)) {
    return invalid("pack_id", util::cat("a pack id is 1 to ", model::kMaxPackIdLength,
                                        " characters without control characters"));
  }
  if (quantity < 0 || quantity > kMaxStockQuantity) {
    return invalid("quantity",
                   util::cat("the quantity must be a whole number from 0 to ", kMaxStockQuantity));
  }
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_);
  StockMove move{.office = office, .pack_id = pack_id, .after = quantity};
  {
    auto q = db_.query("SELECT on_hand FROM pack_stock WHERE office = ?1 AND pack_id = ?2");
    q.bind_all(office, pack_id);
    if (q.step()) move.before = q.int64(0);
  }
  db_.query(
         "INSERT INTO pack_stock (office, pack_id, on_hand, updated_at, updated_by) "
         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (office, pack_id) DO UPDATE SET "
         "on_hand = excluded.on_hand, updated_at = excluded.updated_at, "
         "updated_by = excluded.updated_by")
      .bind_all(office, pack_id, quantity, util::iso8601_utc(std::chrono::system_clock::now()),
                actor)
      .run();
  tx.commit();
  return move;
}

std::vector<StockLevel> CentralStore::list_stock(const std::string& office) {
  std::lock_guard lock(mutex_);
  std::vector<StockLevel> out;
  auto q = db_.query(
      "SELECT office, pack_id, on_hand, updated_at, updated_by FROM pack_stock "
      "WHERE (?1 = '' OR office = ?1) ORDER BY office, pack_id");
  q.bind(1, office);
  while (q.step()) {
    out.push_back({.office = q.text(0),
                   .pack_id = q.text(1),
                   .on_hand = q.int64(2),
                   .updated_at = q.text(3),
                   .updated_by = q.text(4)});
  }
  return out;
}

StoreResult<std::vector<StockMove>> CentralStore::take_stock(const std::string& office,
                                                             const model::ResourceRequest& request,
                                                             const std::string& actor) {
  std::map<std::string, std::int64_t> needed;  // a pack may be on several lines
  for (const auto& line : request.lines) needed[line.pack_id] += line.quantity;
  std::vector<StockMove> moves;
  for (const auto& [pack_id, quantity] : needed) {
    auto q = db_.query("SELECT on_hand FROM pack_stock WHERE office = ?1 AND pack_id = ?2");
    q.bind_all(office, pack_id);
    if (!q.step()) continue;  // untracked
    const std::int64_t on_hand = q.int64(0);
    if (on_hand < quantity) {
      StoreFailure failure{
          .code = "insufficient_stock",
          .message = util::cat("office ", office, " has ", on_hand, " of pack ", pack_id,
                               " on hand; dispatching this request needs ", quantity)};
      return std::unexpected(std::move(failure));
    }
    moves.push_back(
        {.office = office, .pack_id = pack_id, .before = on_hand, .after = on_hand - quantity});
  }
  const std::string now = util::iso8601_utc(std::chrono::system_clock::now());
  for (const auto& move : moves) {
    db_.query(
           "UPDATE pack_stock SET on_hand = ?1, updated_at = ?2, updated_by = ?3 "
           "WHERE office = ?4 AND pack_id = ?5")
        .bind_all(move.after, now, actor, move.office, move.pack_id)
        .run();
  }
  return moves;
}

std::optional<std::string> CentralStore::office_of_member(const std::string& member_id) {
  std::lock_guard lock(mutex_);
  return office_of(protocol::Entity::member, member_id);
}

std::vector<std::string> CentralStore::member_offices() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  auto q = db_.query("SELECT DISTINCT office FROM records WHERE entity = 'member' ORDER BY office");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

}  // namespace alliance::central
