"""The built-in forms as the bundled workbooks ask them (bot/data/xlsforms/, read by bot/forms/schema.py)."""

from __future__ import annotations

from bot.forms import schema
from bot.xlsform import builtin

LAPORAN = schema.of(builtin.form("laporan"))
EVALUASI = schema.of(builtin.form("evaluasi"))
FORMS = {form.key: form for form in (LAPORAN, EVALUASI)}
