"""Reading what people type on a phone: dates, months, counts and rupiah amounts, as Indonesians write them.

Each parser returns the value or raises Invalid with the reason; the engine adds the example and asks again.
Dates need `today` (a date without a year is the most recent such day; the example is built from it), so any
form engine can ask a date question with an example its own parser accepts: `date_example(today)`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.dates import MONTHS


class Invalid(ValueError):
    """The answer cannot be used; the message says why, in Indonesian."""


class TooLarge(Invalid):
    """A number with more digits than any field takes; the caller says the field's own maximum instead."""


# A quadrillion: above any count or amount a form asks for. Longer digit strings are refused before int() or
# float() see them: int() stops at 4,300 digits (ValueError) and float() turns 400 digits into inf (OverflowError).
MAX_DIGITS = 15


def _digits(digits: str) -> str:
    """The digits without leading zeros (int() counts those too); TooLarge past MAX_DIGITS."""
    significant = digits.lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        raise TooLarge("Angka terlalu besar.")
    return significant


_MONTH_NUMBER = {name.lower(): i + 1 for i, name in enumerate(MONTHS)}
_MONTH_NUMBER.update({name.lower()[:3]: i + 1 for i, name in enumerate(MONTHS)})
_MONTH_NUMBER.update({"agu": 8, "agt": 8, "ags": 8, "okt": 10, "des": 12, "nop": 11, "peb": 2, "juni": 6, "juli": 7})


_DAY_NAMES = r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)"
# 'tgl 28/11', 'tanggal 28 Nov', 'Sabtu, 28 November': the words people put before a date.
_DATE_LEAD = re.compile(rf"^(?:(?:tgl|tanggal)\.?\s*)?(?:{_DAY_NAMES}\s+)?(?:(?:tgl|tanggal)\.?\s*)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?")
_WORDED_DATE = re.compile(r"(\d{1,2}) ([a-z]+)\.?(?: (\d{4}))?")
PAST, NEXT = "past", "next"  # what a date written without a year means


def parse_date(text: str, today: date, *, without_year: str = PAST) -> date:
    """'25/11/2024', '25-11-2024', '25.11.24', '25 November 2024', '25 Nov', '28/11', 'tgl 28/11/2026',
    'Sabtu, 28 November', 'hari ini', 'kemarin'.

    A date without a year is the most recent such day that is not after `today` (PAST: when an activity took
    place), or the first one from `today` on (NEXT: a holiday being planned).
    """
    cleaned = " ".join(text.lower().replace(",", " ").split())
    relative = {"hari ini": 0, "sekarang": 0, "kemarin": 1, "kemarin lusa": 2, "2 hari lalu": 2}
    if cleaned in relative:
        return today - timedelta(days=relative[cleaned])
    cleaned = _DATE_LEAD.sub("", cleaned)
    if numeric := _NUMERIC_DATE.fullmatch(cleaned):
        day, month, year = int(numeric[1]), int(numeric[2]), numeric[3]
    elif (worded := _WORDED_DATE.fullmatch(cleaned)) and worded[2] in _MONTH_NUMBER:
        day, month, year = int(worded[1]), _MONTH_NUMBER[worded[2]], worded[3]
    else:
        raise Invalid("Format tanggal tidak dikenali.")
    if year is None:
        return _nearest(day, month, today, without_year)
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return date(full_year, month, day)
    except ValueError as exc:
        raise Invalid("Tanggal tersebut tidak ada di kalender.") from exc


def _nearest(day: int, month: int, today: date, direction: str) -> date:
    """The day/month closest to `today` in the given direction (29 February may be up to 4 years away)."""
    step = -1 if direction == PAST else 1
    for offset in range(0, 9 * step, step):
        try:
            candidate = date(today.year + offset, month, day)
        except ValueError:
            continue
        if (candidate <= today) if direction == PAST else (candidate >= today):
            return candidate
    raise Invalid("Tanggal tersebut tidak ada di kalender.")


_MONTH_WORDS = re.compile(r"(?:bulan\s+)?([a-z]+)\.?(?:\s+(\d{4}))?")
_MONTH_DIGITS = re.compile(r"(\d{4})-(\d{1,2})|(\d{1,2})[/-](\d{4})")


def parse_month(text: str, today: date) -> tuple[int, int] | None:
    """(year, month) from 'november', 'Nov 2026', 'bulan oktober', '2026-11' or '11/2026'; None if it names none.

    A month without a year is the most recent one that has begun: in January, 'desember' is last December.
    """
    cleaned = " ".join(text.lower().split())
    if digits := _MONTH_DIGITS.fullmatch(cleaned):
        year, month = (int(digits[1]), int(digits[2])) if digits[1] else (int(digits[4]), int(digits[3]))
        return (year, month) if 1 <= month <= 12 else None
    words = _MONTH_WORDS.fullmatch(cleaned)
    if not words or words[1] not in _MONTH_NUMBER:
        return None
    month = _MONTH_NUMBER[words[1]]
    if words[2]:
        return int(words[2]), month
    return (today.year, month) if month <= today.month else (today.year - 1, month)


def date_example(today: date) -> str:
    """The date question's example, built from `today` so that each form it names is accepted as written."""
    shown = today - timedelta(days=3)
    month = MONTHS[shown.month - 1]
    return f"{shown.day}/{shown.month}/{shown.year}, {shown.day} {month[:3]}, hari ini, atau kemarin"


def date_examples(today: date) -> list[str]:
    """Each answer the example offers, one by one (for the tests and for anyone listing them)."""
    return date_example(today).replace(", atau ", ", ").split(", ")


_UNIT_WORDS = r"(?:orang|org|peserta|jiwa|kegiatan|kali|kk|anak|buah|unit)"


def parse_count(text: str) -> int:
    """A whole number of people or things: '35', '35 orang', '1.200', 'sekitar 40 peserta'."""
    cleaned = text.strip().lower()
    cleaned = re.sub(r"^(?:sekitar|kurang lebih|kurleb|±|\+/-)\s*", "", cleaned)
    cleaned = re.sub(rf"\s*{_UNIT_WORDS}\.?$", "", cleaned).strip()
    if re.fullmatch(r"-\s*\d[\d.]*", cleaned):
        raise Invalid("Jumlah tidak boleh negatif.")
    if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d+", cleaned):
        raise Invalid("Mohon tulis jumlahnya dengan angka.")
    return int(_digits(cleaned.replace(".", "")))


def parse_rupiah(text: str) -> int:
    """Rupiah without cents: 'Rp1.500.000', '1500000', '1,5 juta', '750 ribu', '750rb', '2 jt'."""
    cleaned = text.strip().lower().replace("rp.", "").replace("rp", "").replace(" ", "")
    cleaned = cleaned.removesuffix(",-").removesuffix(",00")
    if cleaned.startswith("-"):
        raise Invalid("Jumlah dana tidak boleh negatif.")
    multiplier = 1
    for suffix, factor in (("juta", 10**6), ("jt", 10**6), ("ribu", 10**3), ("rb", 10**3), ("k", 10**3)):
        if cleaned.endswith(suffix):
            cleaned, multiplier = cleaned[: -len(suffix)], factor
            break
    if multiplier > 1 and (scaled := re.fullmatch(r"(\d+)(?:[.,](\d+))?", cleaned)):
        # Six decimals are all a million can use; a longer tail only feeds float() more digits.
        return round(float(f"{_digits(scaled[1])}.{(scaled[2] or '0')[:6]}") * multiplier)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d+", cleaned):
        return int(_digits(cleaned.replace(".", "")))
    raise Invalid("Mohon tulis jumlah rupiah dengan angka.")


def format_rupiah(amount: int) -> str:
    """'Rp1.500.000', as DOMAIN.md writes money."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def format_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
