"""What a person types or sends → the answer as ODK stores it (always a string), and back for display.

Dates and counts are read by bot/forms/parse.py, the same parsers today's forms use (they know 'hari ini',
'25 Nov 2026', '35 orang'); this module adds only what XLSForm types need on top: signs, decimals, times,
points and choices matched by label with small typos.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from difflib import SequenceMatcher

from bot import texts
from bot.forms.parse import Invalid, format_date, format_rupiah, parse_count, parse_date, parse_rupiah
from bot.texts import xlsform_meta as meta_texts
from bot.texts import xlsform_types as type_texts
from bot.wilayah import normalize_name
from bot.xlsform.model import Choice, Kind, Question

__all__ = ["Invalid", "display", "match_choice", "parse_typed"]

# appearance of an integer question holding rupiah: read as 'Rp1.500.000', '1,5 juta', '750rb'; shown as Rp1.500.000.
RUPIAH = "rupiah"


def parse_typed(question: Question, text: str, now: datetime) -> str:
    """A typed answer for a text-like question, as ODK stores it; raises Invalid with the reason."""
    text = text.strip()
    if not text:
        raise Invalid(texts.XLSFORM_TEXT_EMPTY)
    kind = question.kind
    if kind is Kind.TEXT:
        return text
    if kind is Kind.INTEGER and RUPIAH in question.appearance.split():
        return str(parse_rupiah(text))
    if kind is Kind.INTEGER:
        return str(_integer(text))
    if kind is Kind.DECIMAL:
        return _decimal(text)
    if kind is Kind.DATE:
        return parse_date(text, now.date()).isoformat()
    if kind is Kind.TIME:
        return _time(text, now)
    if kind is Kind.DATETIME:
        return _datetime(text, now)
    if kind is Kind.GEOPOINT:
        return _point(text)
    if kind is Kind.BARCODE:
        return text
    if kind is Kind.RANGE:
        return _range_number(question, text)
    raise Invalid(texts.XLSFORM_USE_BUTTON)


def _integer(text: str) -> int:
    negative = text.startswith("-")
    try:
        value = parse_count(text[1:].strip() if negative else text)
    except Invalid as exc:
        raise Invalid(texts.XLSFORM_INTEGER) from exc
    return -value if negative else value


def _decimal(text: str) -> str:
    cleaned = text.replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")  # 1.234,5: Indonesian thousands and decimal comma
    else:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", cleaned):
        raise Invalid(texts.XLSFORM_DECIMAL)
    value = float(cleaned)
    return str(int(value)) if value.is_integer() else repr(value)


def _time(text: str, now: datetime) -> str:
    match = re.fullmatch(r"(\d{1,2})(?:[.:](\d{2}))?(?:\s*(wib))?", text.lower())
    if match is None or int(match[1]) > 23 or int(match[2] or 0) > 59:
        raise Invalid(texts.XLSFORM_TIME)
    offset = now.strftime("%z")
    zone = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{int(match[1]):02d}:{int(match[2] or 0):02d}:00.000{zone}"


# A date as parse_date reads it, then the time as _time reads it: '28/11/2026 14.30', 'hari ini pukul 9.15 WIB'.
_DATETIME = re.compile(r"(.+?)[\s,]+(?:jam\s+|pukul\s+|pkl\.?\s*)?(\d{1,2}[.:]\d{2}(?:\s*wib)?)")


def _datetime(text: str, now: datetime) -> str:
    """ODK's dateTime: '2026-11-28T14:30:00.000+07:00', in the bot's zone (WIB)."""
    cleaned = " ".join(text.lower().split())
    if cleaned == "sekarang":
        return now.replace(second=0, microsecond=0).isoformat(timespec="milliseconds")
    match = _DATETIME.fullmatch(cleaned)
    if match is None:
        try:
            parse_date(cleaned, now.date())
        except Invalid:
            raise Invalid(meta_texts.DATETIME_INVALID) from None
        raise Invalid(meta_texts.DATETIME_NO_TIME)
    try:
        day = parse_date(match[1], now.date())
    except Invalid as exc:
        raise Invalid(meta_texts.DATETIME_INVALID) from exc
    hour, minute = _time(match[2], now)[:5].split(":")
    moment = datetime(day.year, day.month, day.day, int(hour), int(minute), tzinfo=now.tzinfo)
    return moment.isoformat(timespec="milliseconds")


def _point(text: str) -> str:
    match = re.fullmatch(r"(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)", text.strip())
    if match is None or abs(float(match[1])) > 90 or abs(float(match[2])) > 180:
        raise Invalid(texts.XLSFORM_GEOPOINT)
    return f"{match[1]} {match[2]} 0 0"


def range_parameters(question: Question) -> tuple[str, str, str]:
    """A range's (start, end, step) as written."""
    values = dict(part.split("=", 1) for part in question.parameters.split() if "=" in part)
    return values.get("start", "1"), values.get("end", "10"), values.get("step", "1")


def range_values(question: Question, most: int = 12) -> list[str] | None:
    """Every value a range allows, as stored, when there are at most `most` of them (shown as buttons); else None."""
    start, end, step = (Decimal(v) for v in range_parameters(question))
    if step == 0 or (end - start) / step < 0 or (end - start) / step >= most:
        return None
    count = int((end - start) / step) + 1
    return [_number_text(start + step * i) for i in range(count)]


def _number_text(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _range_number(question: Question, text: str) -> str:
    try:
        value = Decimal(_decimal(text))
    except Invalid as exc:
        raise Invalid(type_texts.RANGE_NOT_A_NUMBER) from exc
    start, end, step = range_parameters(question)
    low, high = sorted((Decimal(start), Decimal(end)))
    if not low <= value <= high:
        raise Invalid(type_texts.range_outside(start, end))
    if Decimal(step) and (value - Decimal(start)) % Decimal(step):
        raise Invalid(type_texts.range_off_step(start, step))
    return _number_text(value)


def point_from_location(latitude: float, longitude: float, accuracy: float | None) -> str:
    """ODK's geopoint: 'lat lon altitude accuracy' (Telegram gives no altitude)."""
    return f"{latitude} {longitude} 0 {accuracy or 0}"


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def match_choice(choices: tuple[Choice, ...] | list[Choice], text: str) -> Choice:
    """The choice a typed answer names: by name or label, exactly, then with a small typo if only one is close."""
    wanted = text.strip().lower()
    for choice in choices:
        if wanted in (choice.name.lower(), choice.label.lower()):
            return choice
    key = normalize_name(text)
    exact = [ch for ch in choices if normalize_name(ch.label) == key]
    if len(exact) == 1:
        return exact[0]
    scored = sorted(((_similarity(key, normalize_name(ch.label)), i) for i, ch in enumerate(choices)), reverse=True)
    close = [(score, i) for score, i in scored if score >= 0.8]
    if len(close) == 1 or (len(close) > 1 and close[0][0] - close[1][0] >= 0.1):
        return choices[close[0][1]]
    hints = [choices[i].label for score, i in scored[:3] if score >= 0.6]
    raise Invalid(texts.xlsform_no_such_choice(hints))


_FILE_SHOWN = {
    Kind.FILE: type_texts.FILE_ANSWER, Kind.AUDIO: type_texts.AUDIO_ANSWER, Kind.VIDEO: type_texts.VIDEO_ANSWER,
}  # fmt: skip


def display(question: Question, value: str, choices: tuple[Choice, ...] | list[Choice] = ()) -> str:
    """An answer as the summary and the admins' copy show it."""
    if value == "":
        return "–"
    labels = {c.name: c.label for c in choices}
    if question.kind is Kind.SELECT_ONE:
        return labels.get(value, value)
    if question.kind is Kind.SELECT_MULTIPLE:
        return ", ".join(labels.get(v, v) for v in value.split())
    if question.kind is Kind.DATE:
        try:
            return format_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if question.kind is Kind.TIME:
        return value[:5].replace(":", ".")
    if question.kind is Kind.DATETIME:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return meta_texts.datetime_shown(format_date(moment.date()), moment.strftime("%H.%M"))
    if question.kind is Kind.GEOPOINT:
        parts = value.split()
        return texts.xlsform_point(parts[0], parts[1]) if len(parts) >= 2 else value
    if question.kind is Kind.IMAGE:
        return texts.XLSFORM_PHOTO_ANSWER
    if question.kind in _FILE_SHOWN:
        return _FILE_SHOWN[question.kind]
    if question.kind in (Kind.GEOTRACE, Kind.GEOSHAPE):
        return type_texts.points_shown(len(value.split(";")))
    if question.kind is Kind.START_GEOPOINT:
        parts = value.split()
        return texts.xlsform_point(parts[0], parts[1]) if len(parts) >= 2 else value
    if question.kind is Kind.RANK:
        return ", ".join(labels.get(v, v) for v in value.split())
    if question.kind is Kind.INTEGER and RUPIAH in question.appearance.split() and value.lstrip("-").isdigit():
        return format_rupiah(int(value))
    return value
