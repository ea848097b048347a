"""Reading what people type on a phone: dates, counts and rupiah amounts, in the ways Indonesians write them.

Each parser returns the value or raises Invalid with the reason; the engine adds the example and asks again.
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


def parse_date(text: str, today: date) -> date:
    """'25/11/2024', '25-11-2024', '25.11.2024', '25 November 2024', '25 Nov 2024', 'hari ini', 'kemarin'."""
    cleaned = " ".join(text.lower().replace(",", " ").split())
    relative = {"hari ini": 0, "sekarang": 0, "kemarin": 1, "kemarin lusa": 2, "2 hari lalu": 2}
    if cleaned in relative:
        return today - timedelta(days=relative[cleaned])
    numeric = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", cleaned)
    if numeric:
        day, month, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
    else:
        worded = re.fullmatch(r"(?:[a-z]+ )?(\d{1,2}) ([a-z]+)\.? (\d{4})", cleaned)
        if not worded or worded[2] not in _MONTH_NUMBER:
            raise Invalid("Format tanggal tidak dikenali.")
        day, month, year = int(worded[1]), _MONTH_NUMBER[worded[2]], int(worded[3])
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise Invalid("Tanggal tersebut tidak ada di kalender.") from exc


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
