"""The peer for bench/forms.py: the laporan form as a python-telegram-bot user would write it.

A `ConversationHandler` with `PicklePersistence` (library defaults: the pickle is written every 60 s and at
shutdown, so answers of the last minute are lost on a crash), one state per question, asking the same 12
laporan questions (as the bundled workbook asks them, written out below as such a bot would hold them) with the
same parsers (bot/forms/parse.py) and the same buttons,
answered and edited the same way as the real bot: a button answer is acknowledged and its message edited into
the next question, a tick edits the keyboard, a typed answer gets the next question as a new message.

Run by bench/forms.py as a script: ``python bench/ptb_forms.py``, with BOT_TOKEN, TELEGRAM_API_URL and
PEER_PICKLE (the persistence file) in the environment.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)

from bot import texts
from bot.forms.fields import Field, FieldType
from bot.forms.parse import Invalid, parse_count, parse_date, parse_rupiah
from bot.program_kerja.lists import BIDANG, PPKS, SUMBER_DANA

# The laporan's questions but the program kerja one (asked only of a kecamatan with an approved plan; the bench's
# kecamatan has none), and the text lengths their constraints allow.
FIELDS = (
    Field("nama_kegiatan", "Nama kegiatan", "Apa nama kegiatannya?", FieldType.TEXT),
    Field("bidang", "Bidang", "Kegiatan ini termasuk bidang apa?", FieldType.CHOICE, choices=BIDANG),
    Field("tanggal", "Tanggal kegiatan", "Kapan kegiatan dilaksanakan?", FieldType.DATE),
    Field("lokasi", "Lokasi", "Di desa/kelurahan mana? Ketik namanya atau pilih tombol.", FieldType.VILLAGE),
    Field("jumlah_peserta", "Jumlah peserta", "Berapa jumlah peserta?", FieldType.COUNT),
    Field("ppks", "PPKS yang dilayani", "PPKS apa saja yang dilayani? Tandai semua yang sesuai, lalu Selesai.",
          FieldType.MULTI_CHOICE, choices=PPKS, none_label="Tidak ada"),
    Field("jumlah_penerima", "Jumlah penerima manfaat", "Berapa jumlah penerima manfaat?", FieldType.COUNT),
    Field("sumber_dana", "Sumber dana", "Dari mana sumber dananya?", FieldType.CHOICE, choices=SUMBER_DANA),
    Field("jumlah_dana", "Jumlah dana", "Berapa jumlah dananya (rupiah)?", FieldType.RUPIAH, required=False),
    Field("hasil", "Hasil/uraian", "Ceritakan singkat hasil kegiatannya.", FieldType.TEXT),
    Field("kendala", "Kendala", "Apa kendala yang dihadapi?", FieldType.TEXT, required=False),
    Field("foto", "Foto dokumentasi", "Kirim foto dokumentasi (maksimal 10), lalu tekan Selesai.", FieldType.PHOTOS,
          required=False),
)  # fmt: skip
LENGTHS = {"nama_kegiatan": (3, 200), "lokasi": (1, 200), "hasil": (10, 2000), "kendala": (1, 1000)}
SUMMARY = len(FIELDS)


def keyboard(field: Field, chosen: list[str]) -> InlineKeyboardMarkup | None:
    rows: list[list[InlineKeyboardButton]] = []
    if field.type is FieldType.CHOICE:
        rows = [[InlineKeyboardButton(c.label, callback_data=f"c:{i}")] for i, c in enumerate(field.choices)]
    elif field.type is FieldType.MULTI_CHOICE:
        rows = [[InlineKeyboardButton(("✅ " if c.value in chosen else "") + c.label, callback_data=f"t:{i}")]
                for i, c in enumerate(field.choices)]  # fmt: skip
        rows.append([InlineKeyboardButton(texts.BUTTON_DONE, callback_data="d")])
    elif field.type is FieldType.PHOTOS:
        rows = [[InlineKeyboardButton(texts.BUTTON_DONE, callback_data="d")]]
    if not field.required and field.type is not FieldType.PHOTOS:
        rows.append([InlineKeyboardButton(texts.BUTTON_SKIP, callback_data="s")])
    return InlineKeyboardMarkup(rows) if rows else None


def question(position: int, answers: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None]:
    if position == SUMMARY:
        lines = [f"{f.label}: {answers.get(f.key, '–')}" for f in FIELDS]
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(texts.BUTTON_SUBMIT, callback_data="K")]])
        return "Ringkasan\n\n" + "\n".join(lines), markup
    field = FIELDS[position]
    return f"({position + 1}/{len(FIELDS)}) {field.prompt}", keyboard(field, answers.get(field.key) or [])


def typed(field: Field, text: str) -> Any:
    if field.type is FieldType.DATE:
        return parse_date(text, date.today()).isoformat()
    if field.type is FieldType.COUNT:
        return parse_count(text)
    if field.type is FieldType.RUPIAH:
        return parse_rupiah(text)
    if field.type in (FieldType.TEXT, FieldType.VILLAGE):
        low, high = LENGTHS[field.key]
        if not low <= len(text) <= high:
            raise Invalid("Panjang jawaban tidak sesuai.")
        return text
    raise Invalid("Mohon pilih dengan tombol.")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    assert update.effective_message is not None and context.user_data is not None
    context.user_data["answers"] = {}
    text, markup = question(0, {})
    await update.effective_message.reply_text(text, reply_markup=markup)
    return 0


def text_state(position: int) -> Any:
    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message = update.effective_message
        assert message is not None and message.text is not None and context.user_data is not None
        try:
            value = typed(FIELDS[position], message.text)
        except Invalid as exc:
            await message.reply_text(f"⚠️ {exc}")
            return position
        context.user_data["answers"][FIELDS[position].key] = value
        text, markup = question(position + 1, context.user_data["answers"])
        await message.reply_text(text, reply_markup=markup)
        return position + 1

    return on_text


def button_state(position: int) -> Any:
    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None and context.user_data is not None
        answers = context.user_data["answers"]
        if position == SUMMARY:
            await query.answer()
            await query.edit_message_text("✅ Terima kasih! Laporan kegiatan sudah terkirim ke Dinas Sosial.")
            return ConversationHandler.END
        field = FIELDS[position]
        action, _, arg = query.data.partition(":")
        if action == "t":
            chosen = list(answers.get(field.key) or [])
            value = field.choices[int(arg)].value
            answers[field.key] = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
            await query.answer()
            await query.edit_message_reply_markup(keyboard(field, answers[field.key]))
            return position
        if action == "c":
            answers[field.key] = field.choices[int(arg)].value
        elif action == "s":
            answers[field.key] = None
        await query.answer()
        text, markup = question(position + 1, answers)
        await query.edit_message_text(text, reply_markup=markup)
        return position + 1

    return on_button


def main() -> None:
    """Build and poll until SIGTERM/SIGINT; the persistence is flushed at shutdown."""
    api_url = os.environ["TELEGRAM_API_URL"].rstrip("/")
    application = (
        ApplicationBuilder()
        .token(os.environ["BOT_TOKEN"])
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .persistence(PicklePersistence(os.environ["PEER_PICKLE"]))
        .build()
    )
    states = {
        i: [MessageHandler(filters.TEXT & ~filters.COMMAND, text_state(i)), CallbackQueryHandler(button_state(i))]
        for i in range(SUMMARY + 1)
    }
    conversation = ConversationHandler(
        entry_points=[CommandHandler("start", start)], states=states, fallbacks=[], name="laporan", persistent=True
    )
    application.add_handler(conversation)
    application.run_polling()


if __name__ == "__main__":
    main()
