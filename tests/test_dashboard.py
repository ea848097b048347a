"""The Dinsos dashboard in a real browser (Debian's chromium through Playwright), next to the real bot on the
fake Telegram: logging in both ways, what each page shows, and a review decided on the web reaching the group."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import timedelta
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from bot.xlsx_export import HEADER_ROW
from storage import forms
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World, populate
from tests.support.browser import LAPTOP, PHONE, chromium, log_in, login_link, screenshot, signed_init_data
from tests.support.harness import BotHarness, make_config
from tests.test_announcements import compose, group_copies, kirim
from tests.test_forms import fill_evaluasi, fill_laporan, last, open_from_group, press, settled
from tests.test_registration import approve_sumber
from tests.test_review import submitted_report
from tests.test_webhook import free_port


@pytest.fixture
async def world(fake, clock, tmp_path):
    """The conftest world, with the dashboard switched on at a local port."""
    populate(fake)
    port = free_port()
    config = make_config(
        fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2},
        dashboard_url=f"http://127.0.0.1:{port}", dashboard_port=port,
    )  # fmt: skip
    harness = BotHarness(config, clock)
    await harness.start()
    w = World(fake, harness, clock)
    await w.say(ADMIN_1, ADMIN_1, "/start")
    try:
        yield w
    finally:
        await harness.stop()


@pytest.fixture
async def browser():
    async with chromium() as launched:
        yield launched


def base(world: World) -> str:
    assert world.bot.config.dashboard_url is not None
    return world.bot.config.dashboard_url


async def dasbor_link(world: World, admin: int = ADMIN_1) -> str:
    await world.say(admin, admin, "/dasbor")
    return login_link(last(world, admin)["text"])


async def logged_in(world: World, browser, viewport=LAPTOP):  # type: ignore[no-untyped-def]
    page = await browser.new_page(viewport=viewport)
    await log_in(page, await dasbor_link(world))
    return page


async def heading(page) -> str:  # type: ignore[no-untyped-def]
    return (await page.locator("h1").inner_text()).strip()


async def test_a_login_link_works_once_and_the_session_ends_with_keluar(world, browser):
    link = await dasbor_link(world)
    assert "10 menit" in last(world, ADMIN_1)["text"]
    page = await browser.new_page()
    await log_in(page, link)
    assert await heading(page) == "Ringkasan 40 kecamatan"
    cookie = next(c for c in await page.context.cookies() if c["name"] == "dasbor_sesi")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # The same link in another browser: refused, and no session there.
    other = await browser.new_page()
    response = await other.goto(link)
    assert response is not None and response.status == 403
    assert await heading(other) == "Tautan masuk sudah dipakai"
    await other.goto(base(world) + "/laporan")
    assert await heading(other) == "Silakan masuk dulu"
    await page.get_by_role("button", name="Keluar").click()
    assert await heading(page) == "Anda sudah keluar"
    await page.goto(base(world) + "/")
    assert await heading(page) == "Silakan masuk dulu"


async def test_an_expired_or_forged_link_opens_nothing(world, browser):
    link = await dasbor_link(world)
    world.clock.advance(timedelta(minutes=10, seconds=1))
    page = await browser.new_page()
    await page.goto(link)
    assert await heading(page) == "Tautan masuk sudah kedaluwarsa"
    assert await page.get_by_role("button", name="Masuk ke dasbor").count() == 0
    # Pressing the button of a page opened in time does not help once the link has expired either.
    response = await page.request.post(link)
    assert response.status == 403 and "kedaluwarsa" in await response.text()
    forged = link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB")
    await page.goto(forged)
    assert await heading(page) == "Tautan masuk tidak dikenal"
    await page.goto(base(world) + "/")
    assert await heading(page) == "Silakan masuk dulu"


async def test_only_dinsos_admins_get_a_link_and_the_chat_says_so(world):
    await world.say(STRANGER, STRANGER, "/dasbor")
    assert "admin" in last(world, STRANGER)["text"].lower()
    assert "/masuk/" not in last(world, STRANGER)["text"]


def init_data(world: World, user_id: int, *, age: timedelta = timedelta(0), token: str | None = None) -> str:
    user = {"id": user_id, "first_name": "Siti", "username": "siti_dinsos"}
    fields = {
        "auth_date": str(int((world.clock.now() - age).timestamp())),
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":")),
    }
    return signed_init_data(fields, token or world.fake.token)


async def open_miniapp(browser, world: World, data: str):  # type: ignore[no-untyped-def]
    """Telegram opens the Mini App with its launch data in the #fragment."""
    page = await browser.new_page(viewport=PHONE)
    await page.goto(f"{base(world)}/miniapp#tgWebAppData={quote(data)}&tgWebAppVersion=8.0")
    await page.wait_for_load_state()
    await page.wait_for_function("!location.pathname.startsWith('/miniapp')")
    return page


async def test_the_mini_app_signs_in_with_telegrams_init_data_and_refuses_a_forgery(world, browser):
    page = await open_miniapp(browser, world, init_data(world, ADMIN_1))
    assert await heading(page) == "Ringkasan 40 kecamatan"
    assert "Siti (@siti_dinsos)" in await page.locator(".who").inner_text()
    forged = await open_miniapp(browser, world, init_data(world, ADMIN_1, token="123456:bukan-token-bot-ini"))
    assert await heading(forged) == "Tidak dapat memastikan akun Telegram Anda"
    stale = await open_miniapp(browser, world, init_data(world, ADMIN_1, age=timedelta(hours=2)))
    assert await heading(stale) == "Tidak dapat memastikan akun Telegram Anda"
    tampered = init_data(world, ADMIN_1).replace(str(ADMIN_1), str(STRANGER))
    refused = await open_miniapp(browser, world, tampered)
    assert await heading(refused) == "Tidak dapat memastikan akun Telegram Anda"
    outsider = await open_miniapp(browser, world, init_data(world, STRANGER))
    assert await heading(outsider) == "Khusus admin Dinas Sosial"
    await outsider.goto(base(world) + "/")
    assert await heading(outsider) == "Silakan masuk dulu"


async def test_an_https_dashboard_offers_the_mini_app_button(world):
    world.bot.config = replace(world.bot.config, dashboard_url="https://dasbor.example.go.id")
    world.bot.config = replace(world.bot.config, dashboard_port=free_port())
    await world.bot.restart()
    await world.say(ADMIN_1, ADMIN_1, "/dasbor")
    [[button]] = last(world, ADMIN_1)["reply_markup"]["inline_keyboard"]
    assert button["web_app"]["url"] == "https://dasbor.example.go.id/miniapp"
    assert "https://dasbor.example.go.id/masuk/" in last(world, ADMIN_1)["text"]


async def test_without_dashboard_url_dasbor_says_it_is_not_switched_on(world):
    world.bot.config = replace(world.bot.config, dashboard_url=None)
    await world.bot.restart()
    await world.say(ADMIN_1, ADMIN_1, "/dasbor")
    assert "belum diaktifkan" in last(world, ADMIN_1)["text"] and "DASHBOARD_URL" in last(world, ADMIN_1)["text"]


async def test_an_admin_removed_from_admin_ids_loses_the_session(world, browser):
    page = await logged_in(world, browser)
    world.bot.config = replace(world.bot.config, admin_ids=frozenset({ADMIN_2}))
    await world.bot.restart()
    await page.goto(base(world) + "/")
    assert await heading(page) == "Silakan masuk dulu"


async def test_a_fresh_report_is_on_ringkasan_and_laporan_with_its_photos_only_for_a_session(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    sumber = page.locator("#ringkasan tr", has_text="Sumber")
    assert "1 menunggu tinjauan" in await sumber.inner_text()
    assert "23 Nov 2026" in await sumber.inner_text()
    await page.get_by_role("link", name="Laporan", exact=True).click()
    row = page.locator("#laporan tbody tr").first
    assert "Pelatihan sablon remaja" in await row.inner_text() and "2 foto" in await row.inner_text()
    await row.get_by_role("link").click()
    assert "Pelatihan sablon remaja" in await heading(page)
    assert await page.locator(".photos img").count() == 2
    first = await page.request.get(base(world) + "/foto/1/1")
    assert first.status == 200 and await first.body() == b"foto-1"
    assert first.headers["cache-control"] == "private, max-age=86400"
    await page.request.get(base(world) + "/foto/1/1")
    assert len(world.fake.calls("getFile")) == 2  # one per photo, however often the pages show them
    stranger = await browser.new_page()
    refused = await stranger.request.get(base(world) + "/foto/1/1")
    assert refused.status == 401 and await refused.body() != b"foto-1"


async def test_filters_narrow_the_list(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/laporan?tinjauan=diterima")
    assert "Belum ada laporan yang cocok" in await page.locator("#laporan").inner_text()
    await page.goto(base(world) + "/laporan?bidang=b01&bulan=2026-11&kecamatan=32.09.15&tinjauan=menunggu")
    assert await page.locator("#laporan tbody tr").count() == 1
    await page.goto(base(world) + "/laporan?bulan=2026-10")
    assert "Belum ada laporan yang cocok" in await page.locator("#laporan").inner_text()
    await page.goto(base(world) + "/?tampil=perhatian")
    assert await page.locator("#ringkasan tbody tr").count() == 1  # Sumber: a review waiting
    await page.goto(base(world) + "/")
    assert await page.locator("#ringkasan tbody tr").count() == 1  # only Sumber has a group; the rest share a line
    folded = await page.locator("#belum-terdaftar a").all_inner_texts()
    assert len(folded) == 39 and folded[0] == "Arjawinangun" and "Sumber" not in folded
    await page.goto(base(world) + "/?tampil=belum_terdaftar&urut=nama")
    names = await page.locator("#ringkasan td.title").all_inner_texts()
    assert names[0] == "Arjawinangun" and names == sorted(names) and len(names) == 39
    await page.goto(base(world) + "/?urut=laporan")
    assert (await page.locator("#ringkasan td.title").all_inner_texts())[-1] == "Sumber"  # reported most recently
    await page.goto(base(world) + "/?tampil=belum_terdaftar")
    assert await page.locator("#ringkasan tbody tr").count() == 39


async def test_perlu_perbaikan_decided_in_the_browser_reaches_the_group_and_the_submitter(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/laporan/1")
    await page.get_by_label("Catatan perbaikan").fill("Foto kegiatan kurang jelas")
    await page.get_by_role("button", name="Perlu perbaikan").click()
    assert "dikirim ke grup kecamatan" in await page.get_by_role("status").inner_text()
    await settled(world)
    note = last(world, SUMBER_GROUP)
    assert "Foto kegiatan kurang jelas" in note["text"] and "Perbaiki laporan" in json.dumps(note["reply_markup"])
    assert "Foto kegiatan kurang jelas" in last(world, ANGGOTA)["text"]
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.review_status == "perlu_perbaikan"
    assert report.reviewed_by == "Siti (@siti_dinsos)"
    assert "Perlu perbaikan oleh Siti" in await page.locator(".review").inner_text()
    # The chat's button for the same version now only says it is decided.
    await world.press(ADMIN_1, next(m for m in world.fake.messages(ADMIN_1) if "📋" in m.get("text", "")), "rv:ok:1:1")
    assert "sudah ditinjau" in world.fake.calls("answerCallbackQuery")[-1].params["text"]


async def test_diterima_in_the_browser_tells_the_submitter_once(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/laporan/1")
    stale = await browser.new_page()
    await stale.context.add_cookies(await page.context.cookies())
    await stale.goto(base(world) + "/laporan/1")
    await page.get_by_role("button", name="Diterima").click()
    assert "Pengirim diberi tahu" in await page.get_by_role("status").inner_text()
    await stale.get_by_role("button", name="Diterima").click()  # a second tab still showing the buttons
    assert "sudah ditinjau" in await stale.get_by_role("status").inner_text()
    await settled(world)
    accepted = [m for m in world.fake.messages(ANGGOTA) if "sudah diterima Dinas Sosial" in m.get("text", "")]
    assert len(accepted) == 1


async def test_a_post_without_the_pages_csrf_token_changes_nothing(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    response = await page.request.post(
        base(world) + "/laporan/1/tinjauan", form={"keputusan": "diterima", "versi": "1", "csrf": "tebakan"}
    )
    assert response.status == 403 and "Permintaan ditolak" in await response.text()
    report = await forms.get_report(world.bot.db, 1)
    assert report is not None and report.review_status is None


async def test_every_response_carries_the_security_headers(world, browser):
    page = await browser.new_page()
    response = await page.goto(base(world) + "/")
    assert response is not None and response.status == 401
    headers = await response.all_headers()
    assert "frame-ancestors 'self' https://web.telegram.org" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


async def test_ekspor_gives_the_same_workbook_and_the_zip_with_photos(world, browser):
    await submitted_report(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/ekspor")
    async with page.expect_download() as xlsx_download:
        await page.get_by_role("button", name="Unduh Excel").click()
    workbook = load_workbook(io.BytesIO((await (await xlsx_download.value).path()).read_bytes()))
    header, *rows, total = workbook["Laporan kegiatan"].iter_rows(min_row=HEADER_ROW, values_only=True)
    assert len(rows) == 1 and dict(zip(header, rows[0], strict=True))["Kecamatan"] == "Sumber"
    assert str(total[0]).startswith("Jumlah (1 baris)")
    async with page.expect_download() as zip_download:
        await page.get_by_role("button", name="Unduh ZIP dengan foto").click()
    archive = zipfile.ZipFile(await (await zip_download.value).path())
    assert archive.read("foto/laporan-1/1.jpg") == b"foto-1"
    assert archive.read("foto/laporan-1/2.jpg") == b"foto-2"
    again = await page.request.get(base(world) + "/ekspor/zip")
    assert again.status == 200 and zipfile.ZipFile(io.BytesIO(await again.body())).read("foto/laporan-1/2.jpg")
    assert len(world.fake.calls("getFile")) == 2  # once per photo: the second ZIP came from the cache
    await page.goto(base(world) + "/ekspor/xlsx?periode=bulan+lalu")
    assert "tidak dikenal" in (await page.locator(".result").inner_text()).lower()


def snapshot_jpeg(colour: tuple[int, int, int], label: str) -> bytes:
    """A real JPEG, so the screenshots show photos the way an admin sees them."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    for step in range(0, 480, 40):
        draw.rectangle((0, step, 640, step + 20), fill=tuple(min(c + 30, 255) for c in colour))
    draw.text((30, 30), label, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


async def test_every_page_at_phone_and_laptop_width(world, browser):
    """Screenshots for the closing note (test-artifacts/screenshots/), and no page wider than the phone."""
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)
    photos = (snapshot_jpeg((40, 110, 160), "Pelatihan sablon 1"), snapshot_jpeg((160, 90, 40), "Pelatihan sablon 2"))
    await fill_laporan(world, ANGGOTA, photos=photos)
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    await open_from_group(world, KETUA, "/evaluasi")
    await fill_evaluasi(world, KETUA, "Bank sampah di dua desa mulai berjalan")
    await press(world, KETUA, "Kirim")
    await kirim(world, await compose(world, "Rapat koordinasi Karang Taruna se-Kabupaten, Senin 30 November"))
    [copy] = group_copies(world, SUMBER_GROUP)
    await world.press(KETUA, copy, next(iter(copy["reply_markup"]["inline_keyboard"][0]))["callback_data"])
    pages = {
        "ringkasan": "/", "kecamatan": "/kecamatan/32.09.15", "laporan": "/laporan", "laporan-1": "/laporan/1",
        "pengumuman": "/pengumuman", "pengumuman-1": "/pengumuman/1", "ekspor": "/ekspor",
    }  # fmt: skip
    for viewport in (PHONE, LAPTOP):
        page = await logged_in(world, browser, viewport)
        for name, path in pages.items():
            response = await page.goto(base(world) + path)
            assert response is not None and response.status == 200, name
            await screenshot(page, name)
            scroll_width = await page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= viewport["width"], f"{name} is {scroll_width}px wide at {viewport['width']}"
        await page.goto(base(world) + "/laporan/1")
        widths = [await img.evaluate("i => i.naturalWidth") for img in await page.locator(".photos img").all()]
        assert widths == [640, 640]  # both photos arrived as pictures
        other = await browser.new_page(viewport=viewport)
        await other.goto(base(world) + "/")
        await screenshot(other, "masuk-dulu")


async def test_two_weeks_without_evaluation_is_flagged_only_for_a_group_that_could_have_reported(world, browser):
    await approve_sumber(world)
    page = await logged_in(world, browser)
    sumber = page.locator("#ringkasan tr", has_text="Sumber")
    assert "aktif" in await sumber.inner_text() and "2 minggu" not in await sumber.inner_text()
    world.clock.advance(timedelta(days=14))
    page = await logged_in(world, browser)
    sumber = page.locator("#ringkasan tr", has_text="Sumber")
    assert "2 minggu tanpa evaluasi" in await sumber.inner_text()
    await page.goto(base(world) + "/?tampil=perhatian")
    assert await page.locator("#ringkasan tbody tr").count() == 1


async def test_a_session_ends_after_twelve_hours_and_a_forged_cookie_opens_nothing(world, browser):
    page = await logged_in(world, browser)
    world.clock.advance(timedelta(hours=11, minutes=59))
    await page.goto(base(world) + "/pengumuman")
    assert await heading(page) == "Pengumuman"
    world.clock.advance(timedelta(minutes=2))
    await page.goto(base(world) + "/pengumuman")
    assert await heading(page) == "Silakan masuk dulu"
    forged = await browser.new_page()
    await forged.context.add_cookies([{"name": "dasbor_sesi", "value": "tebakan-saja", "url": base(world)}])
    response = await forged.goto(base(world) + "/ekspor/xlsx")
    assert response is not None and response.status == 401
    assert await heading(forged) == "Silakan masuk dulu"
