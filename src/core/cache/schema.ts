// Migration 1: the whole initial schema. Later changes go in new numbered migrations
// (migrations.ts); never edit this one once released.
//
// There is deliberately no column for a key value, token or password: secrets live only
// in the keychain. Keep it that way in every future migration.
export const SCHEMA_V1 = `
CREATE TABLE instances (
  id         TEXT PRIMARY KEY,
  label      TEXT NOT NULL,
  base_url   TEXT NOT NULL,
  auth_kind  TEXT NOT NULL CHECK (auth_kind IN ('password', 'token')),
  email      TEXT,
  added_at   TEXT NOT NULL
) STRICT;

CREATE TABLE tenants (
  instance_id          TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  id                   TEXT NOT NULL,
  slug                 TEXT NOT NULL,
  name                 TEXT NOT NULL,
  is_default           INTEGER NOT NULL CHECK (is_default IN (0, 1)),
  selected             INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),
  auto_finish_rotation INTEGER NOT NULL DEFAULT 0 CHECK (auto_finish_rotation IN (0, 1)),
  sync                 TEXT NOT NULL DEFAULT '{"kind":"never"}',  -- SyncState as JSON
  PRIMARY KEY (instance_id, id)
) STRICT, WITHOUT ROWID;
-- Sort by tenant walks tenants in name order and joins keys per tenant.
CREATE INDEX tenants_by_name ON tenants (name COLLATE NOCASE, instance_id, id);
CREATE INDEX tenants_by_id ON tenants (id);

-- One row per cached service key. Server fields, then facts only this app knows, then
-- derived columns maintained on every write so that filters and sorts can use indexes:
--   state         0 live, 1 deprecated, 2 disabled, 3 revoked (the now-independent part of keyStatus)
--   *_ms          Date.parse() of the ISO column, NULL when absent or unparseable
--   grace_end_ms  of COALESCE(grace_period_ends_at, local_grace_ends_at), i.e. effectiveGraceEnd
CREATE TABLE keys (
  rid                     INTEGER PRIMARY KEY,  -- explicit so VACUUM keeps it (the FTS index refers to it)
  instance_id             TEXT NOT NULL,
  tenant_id               TEXT NOT NULL,
  id                      TEXT NOT NULL,
  name                    TEXT NOT NULL,
  description             TEXT,
  key_prefix              TEXT NOT NULL,
  key_type                TEXT NOT NULL,
  scopes                  TEXT NOT NULL,        -- JSON string[]
  allowed_namespaces      TEXT,                 -- JSON string[] or NULL
  enabled                 INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  rate_limit_per_minute   INTEGER,
  rate_limit_per_hour     INTEGER,
  created_by              TEXT,
  created_at              TEXT NOT NULL,
  last_used_at            TEXT,
  expires_at              TEXT,
  revoked_at              TEXT,
  deprecated_at           TEXT,
  grace_period_ends_at    TEXT,
  replaced_by             TEXT,
  local_grace_ends_at     TEXT,
  revocation_reason       TEXT,
  has_stored_value        INTEGER NOT NULL DEFAULT 0 CHECK (has_stored_value IN (0, 1)),
  orphan                  INTEGER NOT NULL DEFAULT 0 CHECK (orphan IN (0, 1)),
  synced_at               TEXT NOT NULL,
  state                   INTEGER NOT NULL CHECK (state IN (0, 1, 2, 3)),
  created_ms              INTEGER,
  last_used_ms            INTEGER,
  expires_ms              INTEGER,
  grace_end_ms            INTEGER,
  FOREIGN KEY (instance_id, tenant_id) REFERENCES tenants (instance_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX keys_by_ref ON keys (instance_id, tenant_id, id);
-- Covering index for per-tenant status counts and tenant-filtered status predicates.
CREATE INDEX keys_by_tenant_state ON keys (instance_id, tenant_id, state, expires_ms, grace_end_ms);
-- Covering index for global status filters and their COUNT.
CREATE INDEX keys_by_state ON keys (state, expires_ms, grace_end_ms);
-- One index per sort column; id breaks ties (rid, implicit in every index, makes it total).
CREATE INDEX keys_by_name ON keys (name COLLATE NOCASE, id);
CREATE INDEX keys_by_type ON keys (key_type, id);
CREATE INDEX keys_by_prefix ON keys (key_prefix, id);
CREATE INDEX keys_by_created ON keys (created_ms, id);
-- "No expiry" / "no grace end" sort after every date (as +infinity), so these two are
-- expression indexes; range filters use the same expression so they can use them too.
CREATE INDEX keys_by_expires ON keys (COALESCE(expires_ms, 9007199254740991), id);
CREATE INDEX keys_by_grace_end ON keys (COALESCE(grace_end_ms, 9007199254740991), id);
-- "Never used" is the oldest use: one range serves "unused for N days" and the sort.
CREATE INDEX keys_by_last_used ON keys (COALESCE(last_used_ms, 0), id);
CREATE INDEX keys_orphans ON keys (id) WHERE orphan = 1;

-- Substring search over name, prefix and description. The trigram tokenizer answers
-- '"abc"' phrase queries as case-insensitive substring matches without scanning every row.
-- Contentless: the text lives in keys; triggers keep the index in step.
CREATE VIRTUAL TABLE keys_fts USING fts5 (
  name, key_prefix, description,
  tokenize = 'trigram', content = '', contentless_delete = 1
);
-- Fewer, larger merges: a sync commits one small segment per tenant.
INSERT INTO keys_fts (keys_fts, rank) VALUES ('automerge', 8);
CREATE TRIGGER keys_fts_insert AFTER INSERT ON keys BEGIN
  INSERT INTO keys_fts (rowid, name, key_prefix, description)
  VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, ''));
END;
CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN
  DELETE FROM keys_fts WHERE rowid = old.rid;
END;
-- Only when searchable text changed: a sync rewrites many rows whose text is unchanged.
CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, key_prefix, description ON keys
WHEN old.name IS NOT new.name OR old.key_prefix IS NOT new.key_prefix OR old.description IS NOT new.description
BEGIN
  DELETE FROM keys_fts WHERE rowid = old.rid;
  INSERT INTO keys_fts (rowid, name, key_prefix, description)
  VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, ''));
END;

-- Append-only log of operator actions. Deleted only together with its instance.
CREATE TABLE actions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          TEXT NOT NULL,
  instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
  tenant_id   TEXT NOT NULL,
  key_id      TEXT,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL,  -- JSON object of non-secret facts
  outcome     TEXT NOT NULL CHECK (outcome IN ('pending', 'ok', 'failed')),
  error       TEXT
) STRICT;
CREATE INDEX actions_by_key ON actions (instance_id, tenant_id, key_id, id);
CREATE INDEX actions_pending ON actions (id) WHERE outcome = 'pending';
-- A pending action gets its outcome exactly once; enforce it below the app as well.
CREATE TRIGGER actions_outcome_once BEFORE UPDATE OF outcome ON actions
WHEN old.outcome <> 'pending'
BEGIN
  SELECT RAISE(ABORT, 'action already completed');
END;

-- Expiry warnings already sent (each is sent once).
CREATE TABLE notifications (
  warning_id TEXT PRIMARY KEY,
  at         TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  tenants     INTEGER NOT NULL,
  ok          INTEGER NOT NULL DEFAULT 0,
  failed      INTEGER NOT NULL DEFAULT 0,
  cancelled   INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1))
) STRICT;

CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL  -- JSON
) STRICT, WITHOUT ROWID;
`

// Migration 5 (frozen like the others once released).

// bulk_load: set while an empty keys table is being filled by a first sync
// (bulk-load.ts): the secondary indexes and the triggers on keys are dropped (their DDL kept
// here) and rebuilt once at the end; while the row exists, what the triggers maintain
// (keys_fts, and the tables of later migrations) is incomplete and queries do without it.
export const SCHEMA_V5 = `
CREATE TABLE bulk_load (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  started  TEXT NOT NULL,
  deferred TEXT NOT NULL  -- JSON [{type, name, sql}] of what was dropped, re-created in order
) STRICT;
`

// Migration 6: scopes become searchable. The full-text table gains a scopes column (the
// scopes' JSON text, as the LIKE fallback of inventory-query.ts reads it, so both answer
// alike); it is rebuilt from keys, and its triggers with it.
const SCOPES_TEXT = (row: 'new' | 'k') => `${row}.scopes`
export const FTS_FILL_V6 =
  `INSERT INTO keys_fts (rowid, name, key_prefix, description, scopes) SELECT k.rid, k.name, k.key_prefix, COALESCE(k.description, ''), ${SCOPES_TEXT('k')} FROM keys k`
export const SCHEMA_V6 = `
DROP TRIGGER keys_fts_insert;
DROP TRIGGER keys_fts_delete;
DROP TRIGGER keys_fts_update;
DROP TABLE keys_fts;
CREATE VIRTUAL TABLE keys_fts USING fts5 (
  name, key_prefix, description, scopes,
  tokenize = 'trigram', content = '', contentless_delete = 1
);
INSERT INTO keys_fts (keys_fts, rank) VALUES ('automerge', 8);
${FTS_FILL_V6};
CREATE TRIGGER keys_fts_insert AFTER INSERT ON keys BEGIN
  INSERT INTO keys_fts (rowid, name, key_prefix, description, scopes)
  VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, ''), ${SCOPES_TEXT('new')});
END;
CREATE TRIGGER keys_fts_delete AFTER DELETE ON keys BEGIN
  DELETE FROM keys_fts WHERE rowid = old.rid;
END;
CREATE TRIGGER keys_fts_update AFTER UPDATE OF name, key_prefix, description, scopes ON keys
WHEN old.name IS NOT new.name OR old.key_prefix IS NOT new.key_prefix OR old.description IS NOT new.description OR old.scopes IS NOT new.scopes
BEGIN
  DELETE FROM keys_fts WHERE rowid = old.rid;
  INSERT INTO keys_fts (rowid, name, key_prefix, description, scopes)
  VALUES (new.rid, new.name, new.key_prefix, COALESCE(new.description, ''), ${SCOPES_TEXT('new')});
END;
`

// Migration 7: status counts per tenant, written with the tenant's keys (tenant-counts.ts)
// so that tenants.list reads 2,000 rows instead of counting 200,000 keys. Counts hold from
// computed_ms until valid_until_ms, the next expiry or grace end among the tenant's keys.
export const SCHEMA_V7 = `
CREATE TABLE tenant_counts (
  instance_id    TEXT NOT NULL,
  tenant_id      TEXT NOT NULL,
  active         INTEGER NOT NULL,
  grace          INTEGER NOT NULL,
  grace_ended    INTEGER NOT NULL,
  disabled       INTEGER NOT NULL,
  expired        INTEGER NOT NULL,
  revoked        INTEGER NOT NULL,
  computed_ms    INTEGER NOT NULL,
  valid_until_ms INTEGER NOT NULL,
  PRIMARY KEY (instance_id, tenant_id),
  FOREIGN KEY (instance_id, tenant_id) REFERENCES tenants (instance_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
`
