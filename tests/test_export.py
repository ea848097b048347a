"""`python -m bot export`: what Dinsos gets out of the database, run as a newcomer would run it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ADMIN_1, KETUA, SUMBER_GROUP
from tests.support.child_env import child_env
from tests.support.factories import active_groups, pengurus_id
from tests.test_announcements import compose, group_copies, kirim
from tests.test_registration import approve_sumber


def run_cli(world, *args: str, cwd) -> subprocess.CompletedProcess[bytes]:  # type: ignore[no-untyped-def]
    env = child_env(
        BOT_TOKEN=world.fake.token,
        DATABASE_URL=f"sqlite:///{world.bot.config.database_path}",
    )
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, check=True)


async def test_json_export_lists_all_kecamatan_and_the_registered_group(world, tmp_path):
    await approve_sumber(world)
    data = json.loads(run_cli(world, "export", "--format", "json", cwd=tmp_path).stdout)
    assert len(data["kecamatan"]) == 40
    sumber = next(k for k in data["kecamatan"] if k["code"] == "32.09.15")
    assert sumber["status"] == "aktif" and sumber["chat_id"] == SUMBER_GROUP
    [chat] = data["chats"]
    assert (chat["chat_id"], chat["kecamatan_code"], chat["status"]) == (SUMBER_GROUP, "32.09.15", "active")
    assert (chat["requested_by_id"], chat["approved_by_id"]) == (KETUA, ADMIN_1)
    assert chat["requested_at"] and chat["decided_at"]


async def test_csv_export_is_a_zip_with_one_table_per_file(world, tmp_path):
    await approve_sumber(world)
    out = tmp_path / "dinsos.zip"
    run_cli(world, "export", "--format", "csv", "--out", str(out), cwd=tmp_path)
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == [
            "announcements.csv",
            "announcements_deliveries.csv",
            "chats.csv",
            "evaluations.csv",
            "evaluations_versions.csv",
            "kecamatan.csv",
            "program_activities.csv",
            "program_plans.csv",
            "program_plans_programs.csv",
            "reports.csv",
            "reports_versions.csv",
            "xlsforms.csv",
            "xlsforms_submissions.csv",
        ]
        rows = list(csv.DictReader(io.StringIO(archive.read("kecamatan.csv").decode("utf-8-sig"))))
    assert len(rows) == 40


def test_help_lists_the_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    for command in ("run", "migrate", "export"):
        assert command in result.stdout


async def test_json_export_has_each_announcement_with_delivery_and_acknowledgement(world, tmp_path):
    groups = await active_groups(world, 2, admin_id=ADMIN_1)
    await kirim(world, await compose(world, "Rapat Senin"))
    [copy] = group_copies(world, groups[0][1])
    await world.press(pengurus_id(0), copy, "ack:1")
    [announcement] = json.loads(run_cli(world, "export", cwd=tmp_path).stdout)["announcements"]
    assert (announcement["text"], announcement["sender_id"], announcement["target"]) == (
        "Rapat Senin",
        ADMIN_1,
        "semua",
    )
    first, second = announcement["deliveries"]
    assert first["status"] == "sent" and first["message_id"] == copy["message_id"]
    assert first["acknowledged_by_id"] == pengurus_id(0) and first["acknowledged_at"]
    assert second["acknowledged_by_id"] is None


async def test_export_out_into_a_folder_that_does_not_exist_creates_it(world, tmp_path):
    await approve_sumber(world)
    for fmt, name in (("csv", "dinsos.zip"), ("xlsx", "dinsos.xlsx"), ("json", "dinsos.json")):
        out = tmp_path / "belum" / "ada" / fmt / name
        result = run_cli(world, "export", "--format", fmt, "--out", str(out), cwd=tmp_path)
        assert out.is_file() and result.stdout.decode().strip() == f"Ditulis: {out}"


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "xlsx"], ["backup"]])
def test_export_and_backup_in_a_folder_without_a_database_say_so_and_create_nothing(tmp_path, command):
    env = child_env(BOT_TOKEN="123456:TEST")  # DATABASE_URL: the default, data/karangtaruna.db
    result = subprocess.run([sys.executable, "-m", "bot", *command], cwd=tmp_path, env=env, capture_output=True)
    assert result.returncode == 1 and result.stdout == b""
    expected = f"Database tidak ditemukan: {tmp_path / 'data' / 'karangtaruna.db'} (folder kerja: {tmp_path})"
    assert result.stderr.decode().startswith(expected)
    assert list(tmp_path.iterdir()) == []


def test_migrate_speaks_indonesian(tmp_path):
    env = child_env(BOT_TOKEN="123456:TEST", LOG_LEVEL="WARNING")
    first = subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=env, capture_output=True)
    assert first.stdout.decode().startswith("Migrasi diterapkan: 0001_")
    again = subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env=env, capture_output=True)
    assert again.stdout.decode() == "Migrasi diterapkan: tidak ada\n"
