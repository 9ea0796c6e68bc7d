-- Central store, schema 10: USB bundles (docs/ARCHITECTURE.md, "USB bundles").
--
-- Portable SQL (mirrored for PostgreSQL). signing_key is the device's Ed25519
-- public key (base64) sent at enrolment, with which central verifies the
-- bundles the device signs; NULL for a device enrolled before bundles (its
-- bundles are refused until it enrols again). bundle_seq is the number of the
-- newest bundle imported from the device (alliance-central import-bundle); a
-- bundle numbered no higher is refused as already imported. Central's own
-- signing key pair is kept in meta ('bundle_public_key', 'bundle_secret_key'),
-- made when the store is first opened at this schema.
ALTER TABLE devices ADD COLUMN signing_key TEXT;
ALTER TABLE devices ADD COLUMN bundle_seq INTEGER;
