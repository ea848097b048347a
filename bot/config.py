"""One typed configuration, read once from the environment (and a `.env` file beside the working directory)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot import wilayah

DEFAULT_API_URL = "https://api.telegram.org"
DEFAULT_DATABASE_URL = "sqlite:///data/karangtaruna.db"
DEFAULT_BACKUP_DIR = "data/backups"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Telegram accepts as a webhook's secret_token (sent back in X-Telegram-Bot-Api-Secret-Token).
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(Exception):
    """A missing or malformed setting; the message names the variable."""


@dataclass(frozen=True)
class Config:
    bot_token: str
    telegram_api_url: str
    admin_ids: frozenset[int]
    database_path: Path
    timezone: ZoneInfo
    log_level: str
    ack_reminder_hours: float = 24.0
    form_draft_hours: float = 72.0
    flood_pacing: bool = True
    reminder_cron: str = "0 9 * * 5"
    reminder_followup_hours: float = 24.0
    reminder_grace_hours: float = 12.0
    backup_dir: Path = Path(DEFAULT_BACKUP_DIR)
    backup_keep: int = 14
    # Webhook mode when webhook_url is set; polling otherwise.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # Where error alerts go; the Dinsos admins when unset.
    error_chat_id: int | None = None
    # --- Dashboard (web/): served by the bot itself when dashboard_url is set; off otherwise.
    dashboard_url: str | None = None
    dashboard_listen: str = "127.0.0.1"
    dashboard_port: int = 8080
    # --- The kabupaten/kota served (issue 19): its Kemendagri code, and the office's name when not the derived one.
    wilayah_kode: str = wilayah.DEFAULT_CODE
    dinas_nama: str | None = None
    # Code changes between Kepmendagri editions; the packaged bot/data/wilayah/perubahan_kode.tsv when unset.
    wilayah_perubahan: Path | None = None

    @property
    def region(self) -> wilayah.Region:
        """The configured kabupaten/kota with its office name (read once per process)."""
        return wilayah.load(self.wilayah_kode, self.dinas_nama)

    @property
    def base_url(self) -> str:
        """Where Bot API calls go: `{base_url}{token}/{method}`, as python-telegram-bot builds it."""
        return f"{self.telegram_api_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.telegram_api_url}/file/bot"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Config:
        """Build from `environ` (default: os.environ) over the values of `env_file`; raise ConfigError."""
        values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            values.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
        values.update(os.environ if environ is None else environ)
        return cls(
            bot_token=_token(values.get("BOT_TOKEN", "")),
            telegram_api_url=_api_url(values.get("TELEGRAM_API_URL", "") or DEFAULT_API_URL),
            admin_ids=_admin_ids(values.get("ADMIN_IDS", "")),
            database_path=_database_path(values.get("DATABASE_URL", "") or DEFAULT_DATABASE_URL),
            timezone=_timezone(values.get("TIMEZONE", "") or "Asia/Jakarta"),
            log_level=_log_level(values.get("LOG_LEVEL", "") or "INFO"),
            ack_reminder_hours=_positive_hours("ACK_REMINDER_HOURS", values.get("ACK_REMINDER_HOURS", "") or "24"),
            reminder_cron=_cron(
                values.get("REMINDER_CRON", "") or "0 9 * * 5", values.get("TIMEZONE", "") or "Asia/Jakarta"
            ),
            reminder_followup_hours=_hours_or_zero(
                "REMINDER_FOLLOWUP_HOURS", values.get("REMINDER_FOLLOWUP_HOURS", "") or "24"
            ),
            reminder_grace_hours=_positive_hours(
                "REMINDER_GRACE_HOURS", values.get("REMINDER_GRACE_HOURS", "") or "12"
            ),
            flood_pacing=_on_off("FLOOD_PACING", values.get("FLOOD_PACING", "") or "on"),
            form_draft_hours=_positive_hours("FORM_DRAFT_HOURS", values.get("FORM_DRAFT_HOURS", "") or "72"),
            backup_dir=_directory("BACKUP_DIR", values.get("BACKUP_DIR", "") or DEFAULT_BACKUP_DIR),
            backup_keep=_count("BACKUP_KEEP", values.get("BACKUP_KEEP", "") or "14", limit=1000),
            webhook_url=_webhook_url(values.get("WEBHOOK_URL", ""), values.get("BOT_TOKEN", "")),
            webhook_secret=_webhook_secret(values.get("WEBHOOK_SECRET", ""), values.get("WEBHOOK_URL", "")),
            webhook_listen=_listen(values.get("WEBHOOK_LISTEN", "") or "127.0.0.1"),
            webhook_port=_port(values.get("WEBHOOK_PORT", "") or "8443"),
            error_chat_id=_chat_id("ERROR_CHAT_ID", values.get("ERROR_CHAT_ID", "")),
            # --- Dashboard
            dashboard_url=_dashboard_url(values.get("DASHBOARD_URL", ""), values.get("BOT_TOKEN", "")),
            dashboard_listen=_listen(values.get("DASHBOARD_LISTEN", "") or "127.0.0.1", "DASHBOARD_LISTEN"),
            dashboard_port=_port(values.get("DASHBOARD_PORT", "") or "8080", "DASHBOARD_PORT"),
            # --- Region
            wilayah_kode=_wilayah_kode(values.get("WILAYAH_KODE", "") or wilayah.DEFAULT_CODE),
            dinas_nama=_dinas_nama(values.get("DINAS_NAMA", "")),
            wilayah_perubahan=Path(values["WILAYAH_PERUBAHAN"]) if values.get("WILAYAH_PERUBAHAN") else None,
        )


def _token(raw: str) -> str:
    token = raw.strip()
    if not token:
        raise ConfigError("BOT_TOKEN belum diisi: minta token di @BotFather lalu tulis di .env")
    # Telegram tokens are "<bot id>:<secret>"; catching a pasted username or a truncated value here
    # beats a 401 at the first request.
    bot_id, _, secret = token.partition(":")
    if not bot_id.isdigit() or len(secret) < 1:
        raise ConfigError("BOT_TOKEN salah bentuk: seharusnya '<angka>:<rahasia>', seperti yang diberikan @BotFather")
    return token


def _api_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_URL harus diawali http:// atau https://, tertulis {raw!r}")
    return url


def _admin_ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit() or int(part) <= 0:
            raise ConfigError(f"ADMIN_IDS harus berisi id pengguna Telegram dipisah koma, tertulis {part!r}")
        ids.add(int(part))
    return frozenset(ids)


def _database_path(raw: str) -> Path:
    prefix = "sqlite:///"
    if not raw.startswith(prefix) or len(raw) == len(prefix):
        raise ConfigError(f"DATABASE_URL harus berbentuk sqlite:///path/ke/file.db, tertulis {raw!r}")
    # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy reads them.
    return Path(raw[len(prefix) :])


def _timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TIMEZONE bukan zona waktu yang dikenal: {raw!r}") from exc


def _log_level(raw: str) -> str:
    level = raw.strip().upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL harus salah satu dari {', '.join(LOG_LEVELS)}, tertulis {raw!r}")
    return level


def _positive_hours(name: str, raw: str) -> float:
    try:
        hours = float(raw.strip().replace(",", "."))
    except ValueError as exc:
        raise ConfigError(f"{name} harus berupa jumlah jam, tertulis {raw!r}") from exc
    if not 0 < hours <= 24 * 30:
        raise ConfigError(f"{name} harus di antara 0 dan 720 jam, tertulis {raw!r}")
    return hours


def _cron(raw: str, tz_name: str) -> str:
    from bot.reminder_schedule import crontab_trigger

    try:
        crontab_trigger(raw.strip(), _timezone(tz_name))
    except ValueError as exc:
        raise ConfigError(f"REMINDER_CRON bukan baris crontab (menit jam tanggal bulan hari): {raw!r}") from exc
    return " ".join(raw.split())


def _hours_or_zero(name: str, raw: str) -> float:
    """Hours, where 0 switches the feature off."""
    return 0.0 if raw.strip() == "0" else _positive_hours(name, raw)


def _on_off(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("on", "off"):
        raise ConfigError(f"{name} harus on atau off, tertulis {raw!r}")
    return value == "on"


def _directory(name: str, raw: str) -> Path:
    """A folder, relative to the working directory; created when first needed, so it need not exist yet."""
    path = Path(raw.strip())
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{name} harus berupa folder, tetapi {raw!r} adalah file")
    return path


def _count(name: str, raw: str, *, limit: int) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= limit:
        raise ConfigError(f"{name} harus bilangan bulat 1 sampai {limit}, tertulis {raw!r}")
    return int(value)


def _webhook_url(raw: str, token: str) -> str | None:
    url = raw.strip()
    if not url:
        return None
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise ConfigError(f"WEBHOOK_URL harus alamat https:// publik yang dikirimi Telegram, tertulis {raw!r}")
    if token.strip().partition(":")[2] in url:
        raise ConfigError("WEBHOOK_URL tidak boleh berisi token bot: yang melihat alamatnya bisa bertindak sebagai bot")
    return url


def _webhook_secret(raw: str, webhook_url: str) -> str | None:
    """Required with a webhook: Telegram sends it back with every update, and a request without it is refused."""
    secret = raw.strip()
    if not webhook_url.strip():
        return None
    if not secret:
        raise ConfigError("WEBHOOK_SECRET wajib bila WEBHOOK_URL diisi: 1-256 karakter A-Z a-z 0-9 _ -")
    if not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
        raise ConfigError("WEBHOOK_SECRET hanya boleh 1-256 karakter A-Z a-z 0-9 _ -")
    return secret


def _listen(raw: str, name: str = "WEBHOOK_LISTEN") -> str:
    address = raw.strip()
    if not address or any(c.isspace() for c in address):
        raise ConfigError(f"{name} harus alamat untuk mendengarkan, misalnya 127.0.0.1, tertulis {raw!r}")
    return address


def _port(raw: str, name: str = "WEBHOOK_PORT") -> int:
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 65535:
        raise ConfigError(f"{name} harus nomor port (1-65535), tertulis {raw!r}")
    return int(raw)


def _dashboard_url(raw: str, token: str) -> str | None:
    """The address people open (https for the Mini App, http on the office network); empty: no dashboard."""
    url = raw.strip().rstrip("/")
    if not url:
        return None
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url) or "?" in url or "#" in url:
        raise ConfigError(f"DASHBOARD_URL must be an http:// or https:// address without ? or #, got {raw!r}")
    if token.strip().partition(":")[2] in url:
        raise ConfigError("DASHBOARD_URL must not contain the bot token")
    return url


def _chat_id(name: str, raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit() or int(value) == 0:
        raise ConfigError(f"{name} harus id chat Telegram (id grup bernilai negatif), tertulis {raw!r}")
    return int(value)


def _wilayah_kode(raw: str) -> str:
    found = wilayah.regency(raw)
    if found is None:
        raise ConfigError(
            f"WILAYAH_KODE bukan kode kabupaten/kota Kemendagri, tertulis {raw!r}: "
            "cari kodenya dengan python -m bot wilayah cari <nama>"
        )
    return found.code


def _dinas_nama(raw: str) -> str | None:
    name = " ".join(raw.split())
    if len(name) > 120:
        raise ConfigError(f"DINAS_NAMA terlalu panjang ({len(name)} karakter; paling banyak 120)")
    return name or None


def configure_logging(level: str) -> None:
    """Configure logging once for the process: one line per event; library chatter stays at WARNING."""
    from bot.log_context import OneLineFormatter

    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    logging.basicConfig(handlers=[handler], level=level)
    for noisy in ("httpx", "apscheduler", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
