-- Each version's form as the bot read it (bot/xlsform/form_json.py), so asking it after a restart needs neither
-- pyxform nor openpyxl in memory; NULL until first read. The workbook stays the source: this is derived from it.
ALTER TABLE xform_version ADD COLUMN form_json TEXT;
