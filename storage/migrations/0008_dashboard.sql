-- The Dinsos dashboard (web/). A one-time login link from /dasbor: only its SHA-256 is kept, so a copy of the
-- database opens nothing; used_at makes it one use.
CREATE TABLE dashboard_login (
    token_hash TEXT PRIMARY KEY,
    admin_id INTEGER NOT NULL,
    -- As Telegram showed the admin when the link was asked for: the name a review decided on the web carries.
    admin_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- A browser's session after a login link or a Mini App start; again only the cookie's SHA-256. The CSRF token
-- travels in the pages' forms, not in the cookie.
CREATE TABLE dashboard_session (
    token_hash TEXT PRIMARY KEY,
    admin_id INTEGER NOT NULL,
    admin_name TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    via TEXT NOT NULL CHECK (via IN ('link', 'miniapp')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
);

-- What Ringkasan counts per kecamatan, and the Laporan list (newest first, by form, maybe by kecamatan), without
-- scanning a year of rows for each of the 40 kecamatan.
CREATE INDEX report_by_form_created ON report (form, created_at);
CREATE INDEX report_by_kecamatan_form ON report (kecamatan_code, form, created_at);
CREATE INDEX outbox_by_kind_kecamatan ON outbox (kind, kecamatan_code, status);
CREATE INDEX announcement_ack_by_kecamatan ON announcement_ack (kecamatan_code);
