-- The Telegram update whose answer made a draft's stored state (issue 16). An update accepted before a crash is
-- handled again after it: if its answer was already stored, taking it again would put it on the next question.
-- With this the bot sees that it was taken, and only asks the current question again.
ALTER TABLE xform_draft ADD COLUMN update_id INTEGER;
