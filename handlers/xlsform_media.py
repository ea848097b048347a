"""A question's picture, sound or video (XLSForm media::image or big-image, media::audio, media::video) sent with
it: the question as the caption when it fits Telegram's 1024 characters, else the file first and the question after.
A file is uploaded from the form's attachments the first time and sent by Telegram's file id afterwards."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import BotContext
from bot.xlsform.model import Question
from storage import xlsforms
from storage.xlsforms import Media

logger = logging.getLogger(__name__)

CAPTION_LIMIT = 1024


def has_media(question: Question) -> bool:
    return bool(question.image or question.audio or question.video)


async def show(context: BotContext, chat_id: int, version_id: int, question: Question, text: str,
               markup: InlineKeyboardMarkup | None, in_place_of: int | None) -> bool:  # fmt: skip
    """Send the question with its files; False (nothing sent) when none of them is attached."""
    found: list[tuple[str, Media]] = []
    for kind, name in (("photo", question.image), ("audio", question.audio), ("video", question.video)):
        media = await xlsforms.media(context.db, version_id, name) if name else None
        if media is not None:
            found.append((kind, media))
    if not found:
        return False
    if in_place_of is not None:  # a text cannot become a photo: the pressed question only loses its buttons
        try:
            await context.bot.edit_message_reply_markup(chat_id, in_place_of, reply_markup=None)
        except BadRequest as exc:
            logger.info("Buttons of %s not removed: %s", in_place_of, exc.message)
    *before, (kind, last) = found
    for other_kind, media in before:
        await _send(context, chat_id, version_id, other_kind, media)
    if len(text) <= CAPTION_LIMIT:  # the HTML is never shorter than the caption Telegram counts
        await _send(context, chat_id, version_id, kind, last, caption=text, markup=markup)
    else:
        await _send(context, chat_id, version_id, kind, last)
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
    return True


async def _send(context: BotContext, chat_id: int, version_id: int, kind: str, media: Media, *,
                caption: str | None = None, markup: InlineKeyboardMarkup | None = None) -> None:  # fmt: skip
    method = {"photo": context.bot.send_photo, "audio": context.bot.send_audio, "video": context.bot.send_video}[kind]
    extra = {"caption": caption, "parse_mode": ParseMode.HTML if caption else None, "reply_markup": markup}
    message: Message | None = None
    if media.file_id is not None:
        try:
            message = await method(chat_id, media.file_id, **extra)
        except BadRequest as exc:  # an id another bot token gave, say: upload the file again
            logger.info("Stored file id of %s refused: %s", media.name, exc.message)
    if message is None:
        message = await method(chat_id, InputFile(media.data, filename=media.name), **extra)
        sent = message.photo[-1] if kind == "photo" and message.photo else getattr(message, kind, None)
        if sent is not None:
            await xlsforms.remember_file_id(context.db, version_id, media.name, sent.file_id)
