"""Configuration: sensible defaults, and one clear line (exit status 2) for each broken setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config, ConfigError
from tests.support.child_env import child_env

BASE = {"BOT_TOKEN": "123:abc"}


def test_defaults(tmp_path):
    config = Config.from_env(BASE, env_file=None)
    assert config.telegram_api_url == "https://api.telegram.org"
    assert config.base_url == "https://api.telegram.org/bot"
    assert config.database_path == Path("data/karangtaruna.db")
    assert str(config.timezone) == "Asia/Jakarta"
    assert config.admin_ids == frozenset()


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TOKEN=1:fromfile\nADMIN_IDS=5, 6\nLOG_LEVEL=debug\n")
    config = Config.from_env({"LOG_LEVEL": "WARNING"}, env_file=env_file)
    assert config.bot_token == "1:fromfile"
    assert config.admin_ids == {5, 6}
    assert config.log_level == "WARNING"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"DATABASE_URL": "postgres://x"}, "DATABASE_URL"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
    ],
)
def test_a_broken_setting_names_its_variable(env, variable):
    values = env if variable == "BOT_TOKEN" else {**BASE, **env}
    with pytest.raises(ConfigError, match=variable):
        Config.from_env(values, env_file=None)


def test_the_command_line_reports_a_missing_token_in_one_line_with_status_2(tmp_path):
    env = child_env()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "BOT_TOKEN" in result.stderr


# --- Dashboard


def test_the_dashboard_is_off_until_its_address_is_set_and_listens_locally_by_default():
    config = Config.from_env(BASE, env_file=None)
    assert config.dashboard_url is None
    assert (config.dashboard_listen, config.dashboard_port) == ("127.0.0.1", 8080)
    on = Config.from_env({**BASE, "DASHBOARD_URL": "https://dasbor.example.go.id/"}, env_file=None)
    assert on.dashboard_url == "https://dasbor.example.go.id"


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DASHBOARD_URL": "dasbor.example.go.id"}, "DASHBOARD_URL"),
        ({"DASHBOARD_URL": "https://x.example/abc?t=1"}, "DASHBOARD_URL"),
        ({"DASHBOARD_URL": "https://x.example/abc"}, "DASHBOARD_URL"),  # contains the token's secret
        ({"DASHBOARD_PORT": "99999"}, "DASHBOARD_PORT"),
        ({"DASHBOARD_LISTEN": "0.0.0.0 1"}, "DASHBOARD_LISTEN"),
    ],
)
def test_a_broken_dashboard_setting_names_its_variable(env, variable):
    with pytest.raises(ConfigError, match=variable):
        Config.from_env({**BASE, **env}, env_file=None)
