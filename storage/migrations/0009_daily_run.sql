-- The daily review summary's run ledger: one row per day it ran (sent or found nothing to say). The 16.00 job
-- and the catch-up at start both claim the day first, so a summary is never sent twice, even after a restart.
CREATE TABLE daily_summary_run (
    day TEXT PRIMARY KEY,
    ran_at TEXT NOT NULL
);
