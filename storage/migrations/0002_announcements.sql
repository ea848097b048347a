-- Announcements from Dinsos to kecamatan groups.
CREATE TABLE announcement (
    id INTEGER PRIMARY KEY,
    admin_id INTEGER NOT NULL,
    admin_name TEXT NOT NULL,
    -- composing: waiting for the content; ready: previewed, waiting for Kirim; sending: in the outbox.
    status TEXT NOT NULL CHECK (status IN ('composing', 'ready', 'sending', 'done', 'cancelled')),
    content_kind TEXT CHECK (content_kind IN ('text', 'photo', 'document')),
    text TEXT,
    entities TEXT,
    file_id TEXT,
    -- JSON list of kecamatan codes; NULL means every kecamatan active when Kirim is pressed.
    target_codes TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    finished_at TEXT,
    progress_message_id INTEGER
);
CREATE UNIQUE INDEX announcement_one_draft_per_admin ON announcement (admin_id) WHERE status IN ('composing', 'ready');

-- Every message the bot must get into a group, written before the first send and drained by one paced sender.
-- A row marked sent is never sent again; a row still pending after a crash is sent by the next run.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    -- Who it is for: the kecamatan code for a group message, 'admin:<id>' for a Dinsos admin's copy.
    recipient TEXT NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    chat_id INTEGER NOT NULL,
    payload TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    message_id INTEGER,
    error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (kind, ref_id, recipient)
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX outbox_by_chat ON outbox (chat_id);

CREATE TABLE announcement_ack (
    announcement_id INTEGER NOT NULL REFERENCES announcement (id),
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    user_id INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    acked_at TEXT NOT NULL,
    PRIMARY KEY (announcement_id, kecamatan_code)
);

-- Bot messages in a group whose replies are relayed to Dinsos (announcement copies, Dinsos answers).
CREATE TABLE group_anchor (
    chat_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    announcement_id INTEGER REFERENCES announcement (id),
    PRIMARY KEY (chat_id, message_id)
);

-- A group reply as relayed into an admin's private chat; the admin's reply to it goes back to the group.
CREATE TABLE admin_relay (
    admin_id INTEGER NOT NULL,
    admin_message_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    group_message_id INTEGER NOT NULL,
    kecamatan_code TEXT NOT NULL REFERENCES kecamatan (code),
    announcement_id INTEGER REFERENCES announcement (id),
    PRIMARY KEY (admin_id, admin_message_id)
);
