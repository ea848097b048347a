-- Reference data: the 40 kecamatan of Kabupaten Cirebon and their villages, synced from bot/data at start-up.
CREATE TABLE kecamatan (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE village (
    code TEXT PRIMARY KEY,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('desa', 'kelurahan'))
);
CREATE INDEX village_by_kecamatan ON village (kecamatan_code);

-- Every group or supergroup the bot has been in, and whether it is still there.
CREATE TABLE chat (
    chat_id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    bot_status TEXT NOT NULL,
    -- Set when a group was upgraded to a supergroup: the old id points at the new one.
    migrated_to INTEGER,
    updated_at TEXT NOT NULL
);

-- A group's claim on a kecamatan. The kecamatan is what a registration is about; the chat id is an attribute
-- that changes when the group becomes a supergroup.
CREATE TABLE registration (
    id INTEGER PRIMARY KEY,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    chat_id INTEGER NOT NULL,
    chat_title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'inactive', 'rejected', 'retired', 'withdrawn')),
    requested_by_id INTEGER NOT NULL,
    requested_by_name TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by_id INTEGER,
    decided_by_name TEXT,
    decided_at TEXT,
    ended_at TEXT,
    end_reason TEXT
);
CREATE UNIQUE INDEX registration_one_active_per_kecamatan ON registration (kecamatan_code) WHERE status = 'active';
CREATE UNIQUE INDEX registration_one_active_per_chat ON registration (chat_id) WHERE status = 'active';
CREATE UNIQUE INDEX registration_one_pending_per_chat ON registration (chat_id) WHERE status = 'pending';
CREATE INDEX registration_by_chat ON registration (chat_id);

-- The private message each Dinsos admin got about a registration, so a decision by one admin can update all.
CREATE TABLE registration_notice (
    registration_id INTEGER NOT NULL REFERENCES registration (id),
    admin_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (registration_id, admin_id)
);

-- People who have opened a private chat with the bot (Telegram refuses private messages to anyone else).
CREATE TABLE person (
    user_id INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    username TEXT,
    started_at TEXT,
    blocked_at TEXT
);

-- Updates accepted from Telegram, written before Telegram is told they arrived, so a crash cannot lose them.
CREATE TABLE update_inbox (
    update_id INTEGER PRIMARY KEY,
    payload TEXT NOT NULL,
    received_at TEXT NOT NULL,
    processed_at TEXT
);
CREATE INDEX update_inbox_unprocessed ON update_inbox (update_id) WHERE processed_at IS NULL;
