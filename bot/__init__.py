"""Bot Telegram Dinas Sosial untuk Karang Taruna kecamatan; kabupaten/kotanya dipilih dengan WILAYAH_KODE."""

import os

# Opt in now to python-telegram-bot's coming change (RetryAfter.retry_after and other durations become
# timedelta), so our code reads one type and a PTB upgrade changes nothing.
os.environ.setdefault("PTB_TIMEDELTA", "1")
