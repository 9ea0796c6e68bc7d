// CentralStore: what a USB bundle import reads and records about a device,
// and central's own signing key pair.
#include "central/store/central_store.hpp"

namespace alliance::central {

std::optional<BundleDevice> CentralStore::bundle_device(const std::string& device_id) {
  std::lock_guard lock(mutex_);
  auto q = db_.query(
      "SELECT id, name, office, revoked_at IS NOT NULL, COALESCE(hlc_node, ''), "
      "COALESCE(last_contact_ms, 0), clock_offset_ms, queue_depth, COALESCE(signing_key, ''), "
      "COALESCE(bundle_seq, 0) FROM devices WHERE id = ?1");
  q.bind(1, device_id);
  if (!q.step()) return std::nullopt;
  return BundleDevice{
      .device = {.id = q.text(0),
                 .name = q.text(1),
                 .office = q.text(2),
                 .revoked = q.int64(3) != 0,
                 .hlc_node = q.text(4),
                 .last_contact_ms = q.int64(5),
                 .clock_offset_ms =
                     q.is_null(6) ? std::nullopt : std::optional<std::int64_t>(q.int64(6)),
                 .queue_depth =
                     q.is_null(7) ? std::nullopt : std::optional<std::int64_t>(q.int64(7))},
      .signing_key = q.text(8),
      .last_bundle = q.int64(9)};
}

BundleSigner CentralStore::bundle_signer() {
  std::lock_guard lock(mutex_);
  BundleSigner signer;
  auto q = db_.query(
      "SELECT key, value FROM meta WHERE key IN ('bundle_public_key', 'bundle_secret_key')");
  while (q.step()) {
    (q.text(0) == "bundle_public_key" ? signer.public_key : signer.secret_key) = q.text(1);
  }
  return signer;
}

bool CentralStore::record_bundle(const std::string& device_id, std::int64_t sequence) {
  std::lock_guard lock(mutex_);
  sql::Transaction tx(db_, sql::TxKind::write);
  db_.query("UPDATE devices SET bundle_seq = ?1 WHERE id = ?2 AND COALESCE(bundle_seq, 0) < ?1")
      .bind_all(sequence, device_id)
      .run();
  const bool recorded = db_.changes() == 1;
  tx.commit();
  return recorded;
}

}  // namespace alliance::central
