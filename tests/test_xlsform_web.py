"""Uploaded XLSForms on the dashboard (issue 18), in a real browser next to the real bot on the fake Telegram: a
form uploaded and published in chat, two members' submissions, then Dinsos's Formulir pages: the counts per
kecamatan, the table, the summary per question, one submission with its photo, the decision reaching the
submitter, and the form's XLSX and CSV."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from bot.xlsform.model import Choice, Form, Kind, Question, Section
from bot.xlsform.summary import Answered, answers_shown, summaries
from bot.xlsx_export import HEADER_ROW
from storage import xform_review, xlsforms
from tests import test_dashboard
from tests.conftest import ANGGOTA, KETUA, World
from tests.support.browser import LAPTOP, PHONE, screenshot
from tests.support.xlsforms import c, q, xlsform
from tests.test_dashboard import base, heading, logged_in, snapshot_jpeg
from tests.test_forms import last, press, settled
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import answer, follow_notice, upload_and_publish

# The dashboard's fixtures: the world with the dashboard switched on, and Chromium.
world = test_dashboard.world
browser = test_dashboard.browser

BAKSOS = xlsform(
    [
        q("text", "kegiatan", "Nama kegiatan", required="yes"),
        q("select_one jenis", "jenis", "Jenis kegiatan"),
        q("integer", "peserta", "Jumlah peserta"),
        q("geopoint", "lokasi", "Lokasi kegiatan"),
        q("image", "foto", "Foto kegiatan"),
    ],
    [c("jenis", "pelatihan", "Pelatihan"), c("jenis", "bakti", "Bakti sosial"), c("jenis", "olahraga", "Olahraga")],
    {"form_title": "Bakti sosial desa", "form_id": "baksos", "version": "1"},
)  # fmt: skip
PHOTO = snapshot_jpeg((40, 110, 160), "Bakti sosial Kaliwadas")


async def fill(world: World, user: int, kegiatan: str, jenis: str, peserta: str, point: tuple[float, float]) -> None:
    await follow_notice(world, user, "Bakti sosial desa")
    await answer(world, user, kegiatan)
    await press(world, user, jenis)
    await answer(world, user, peserta)
    location = {"latitude": point[0], "longitude": point[1]}
    await world.bot.handled(world.fake.send_message(user, user, location=location))
    await world.bot.handled(world.fake.send_message(user, user, photo=world.fake.new_file(PHOTO, "photo")))
    await press(world, user, "Kirim")
    assert "sudah terkirim" in last(world, user)["text"]


async def two_submissions(world: World) -> str:
    """The form's page: /formulir/<id>."""
    await approve_sumber(world)
    await upload_and_publish(world, BAKSOS, "baksos.xlsx")
    await fill(world, ANGGOTA, "Bersih desa Kaliwadas", "Bakti sosial", "40", (-6.7612, 108.4821))
    await fill(world, KETUA, "Pelatihan sablon", "Pelatihan", "15", (-6.75, 108.5))
    await settled(world)
    [form] = await xlsforms.uploaded_forms(world.bot.db)
    return f"/formulir/{form.id}"


async def test_dinsos_sees_counts_table_summary_and_a_submission_decides_and_downloads(world, browser):
    path = await two_submissions(world)
    page = await logged_in(world, browser)
    await page.get_by_role("link", name="Formulir", exact=True).click()
    assert await heading(page) == "Formulir"
    row = page.locator("#formulir .form-row", has_text="Bakti sosial desa")
    assert "2 kiriman" in await row.inner_text()
    assert "1 dari 1 kecamatan sudah mengirim" in await row.inner_text()
    await row.locator("summary").click()
    assert "Sumber 2" in " ".join((await row.locator(".per-kecamatan li").inner_text()).split())

    await row.get_by_role("link", name="Kiriman").click()
    assert await heading(page) == "Bakti sosial desa"
    table = page.locator("#kiriman tbody tr")
    assert await table.count() == 2
    assert "Pelatihan sablon" in await table.nth(0).inner_text()  # newest first
    assert "Bersih desa Kaliwadas" in await table.nth(1).inner_text()
    assert "Menunggu" in await table.nth(1).inner_text()
    # A month without submissions filters them all out; the month they were sent keeps them.
    await page.locator("input[name=bulan]").fill("2026-10")
    await page.get_by_role("button", name="Terapkan").click()
    assert "0 kiriman" in await page.locator(".count").inner_text()
    await page.goto(base(world) + path + "?bulan=2026-11&kecamatan=32.09.15")
    assert "2 kiriman" in await page.locator(".count").inner_text()

    await page.get_by_role("link", name="Ringkasan", exact=True).last.click()
    jenis = page.locator(".question", has_text="Jenis kegiatan")
    bars = [" ".join(t.split()) for t in await jenis.locator(".bars li").all_inner_texts()]
    assert bars == ["Pelatihan 1 (50 %)", "Bakti sosial 1 (50 %)", "Olahraga 0 (0 %)"]
    peserta = page.locator(".question", has_text="Jumlah peserta")
    assert [t.strip() for t in await peserta.locator(".stats dd").all_inner_texts()] == [
        "15",
        "27,5",
        "40",
    ]  # Indonesian decimal comma
    assert "Foto dari 2 kiriman" in await page.locator(".question", has_text="Foto kegiatan").inner_text()
    lokasi = page.locator(".question", has_text="Lokasi kegiatan")
    links = [await a.get_attribute("href") for a in await lokasi.locator(".points a[target]").all()]
    assert "https://www.openstreetmap.org/?mlat=-6.7612&mlon=108.4821" in links

    await page.goto(base(world) + path)
    await page.get_by_role("link", name="Bersih desa Kaliwadas").click()
    assert await heading(page) == "Bakti sosial desa #1"
    answers = " ".join((await page.locator(".answers").inner_text()).split())
    for expected in ("Nama kegiatan Bersih desa Kaliwadas", "Jenis kegiatan Bakti sosial", "Jumlah peserta 40"):
        assert expected in answers
    assert await page.locator(".photos img").count() == 1
    photo = page.locator(".photos img")
    await photo.scroll_into_view_if_needed()
    # decode() settles once the picture has loaded (wait_for_function would poll by eval, which the CSP forbids).
    await photo.evaluate("i => i.decode()")
    assert await photo.evaluate("i => i.naturalWidth") == 640  # it arrived as a picture
    fetched = await page.request.get(base(world) + "/formulir/kiriman/1/foto/1")
    assert fetched.status == 200 and await fetched.body() == PHOTO
    await page.get_by_label("Catatan perbaikan").fill("Jumlah peserta mohon dicek lagi")
    await page.get_by_role("button", name="Perlu perbaikan").click()
    assert "dikirim ke pengirim" in await page.get_by_role("status").inner_text()
    assert "Perlu perbaikan oleh Siti" in await page.locator(".review").inner_text()
    await settled(world)
    message = last(world, ANGGOTA)["text"]
    assert "Bakti sosial desa #1" in message and "Jumlah peserta mohon dicek lagi" in message
    listed = await xform_review.get(world.bot.db, 1)
    assert listed is not None and listed.review is not None and listed.review.status == "perlu_perbaikan"

    await page.goto(base(world) + path)
    async with page.expect_download() as download:
        await page.get_by_role("link", name="Unduh Excel").click()
    workbook = load_workbook(io.BytesIO((await (await download.value).path()).read_bytes()))
    header, *rows = workbook["Bakti sosial desa"].iter_rows(min_row=HEADER_ROW, values_only=True)
    found = [dict(zip(header, r, strict=True)) for r in rows if r[0] is not None and isinstance(r[0], int)]
    assert [(r["Kecamatan"], r["Nama kegiatan"], r["Jumlah peserta"]) for r in found] == [
        ("Sumber", "Bersih desa Kaliwadas", 40), ("Sumber", "Pelatihan sablon", 15)
    ]  # fmt: skip
    csv = await page.request.get(base(world) + path + "/unduh/csv")
    lines = (await csv.body()).decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and "Nama kegiatan" in lines[0] and "Pelatihan sablon" in lines[2]


async def test_diterima_tells_the_submitter_once_and_a_second_tab_changes_nothing(world, browser):
    await two_submissions(world)
    page = await logged_in(world, browser)
    await page.goto(base(world) + "/formulir/kiriman/2")
    stale = await browser.new_page()
    await stale.context.add_cookies(await page.context.cookies())
    await stale.goto(base(world) + "/formulir/kiriman/2")
    await page.get_by_role("button", name="Diterima").click()
    assert "Pengirim diberi tahu" in await page.get_by_role("status").inner_text()
    await stale.get_by_role("button", name="Diterima").click()
    assert "sudah ditinjau" in await stale.get_by_role("status").inner_text()
    await settled(world)
    accepted = [m for m in world.fake.messages(KETUA) if "sudah diterima Dinas Sosial" in m.get("text", "")]
    assert len(accepted) == 1 and "Bakti sosial desa #2" in accepted[0]["text"]
    assert not any("sudah diterima Dinas Sosial" in m.get("text", "") for m in world.fake.messages(ANGGOTA))


async def test_formulir_pages_at_phone_and_laptop_width(world, browser):
    """Screenshots for the closing note (test-artifacts/screenshots/), and no page wider than the phone."""
    path = await two_submissions(world)
    pages = {"formulir": "/formulir", "formulir-kiriman": path, "formulir-ringkasan": path + "/ringkasan",
             "formulir-kiriman-1": "/formulir/kiriman/1"}  # fmt: skip
    for viewport in (PHONE, LAPTOP):
        page = await logged_in(world, browser, viewport)
        for name, path in pages.items():
            response = await page.goto(base(world) + path)
            assert response is not None and response.status == 200, name
            if name == "formulir":
                await page.locator("summary").first.click()
            await screenshot(page, name)
            scroll_width = await page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= viewport["width"], f"{name} is {scroll_width}px wide at {viewport['width']}"


def test_the_summary_counts_every_instance_of_a_repeat_and_each_ticked_choice():
    """Pure: a select_multiple inside a repeat, counted per choice, against the submissions that answered."""
    form = Form("f", "F", "1", (
        Question("bantuan", Kind.SELECT_MULTIPLE, "Bantuan", 2, list_name="b"),
        Section("anak", "Anak", 3, (Question("umur", Kind.INTEGER, "Umur anak", 4),), repeat=True),
    ), {"b": (Choice("pkh", "PKH"), Choice("bpnt", "BPNT"))})  # fmt: skip
    submitted = [
        Answered(1, "Sumber", {"bantuan": "pkh bpnt", "anak[1]/umur": "4", "anak[2]/umur": "9"}),
        Answered(2, "Weru", {"bantuan": "pkh", "anak[1]/umur": "12"}),
        Answered(3, "Waled", {}),
    ]
    bantuan, umur = summaries(form, submitted)
    assert [(b.label, b.count, b.percent) for b in bantuan.bars] == [("PKH", 2, 100), ("BPNT", 1, 50)]
    assert (umur.answered, umur.low, umur.median, umur.high) == (2, "4", "9", "12")
    shown = answers_shown(form, submitted[0].answers)
    assert [(a.label, a.text) for a in shown] == [
        ("Bantuan", "PKH, BPNT"), ("Anak 1 › Umur anak", "4"), ("Anak 2 › Umur anak", "9")
    ]  # fmt: skip
