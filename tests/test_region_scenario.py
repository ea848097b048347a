"""The main scenario for three regions (issue 19): Kabupaten Cirebon, Kota Bandung (30 kecamatan, only kelurahan)
and Kabupaten Mimika (Papua Tengah, long names, desa and kelurahan): register a group, broadcast, a laporan with a
village of the region, the reminder, /rekap, the export and the dashboard's Ringkasan; and nothing the people of
another region see says "Cirebon"."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest

from bot import wilayah
from bot.program_kerja import chat_form
from storage import forms
from tests.conftest import ADMIN_1, ADMIN_2, ANGGOTA, KETUA, World, populate
from tests.support.browser import chromium, log_in, login_link
from tests.support.harness import BotHarness, make_config
from tests.test_announcements import compose, group_copies, kirim
from tests.test_forms import answer, buttons, last, press
from tests.test_webhook import free_port

GROUP = -4101


@dataclass(frozen=True)
class Scene:
    code: str
    typed_kecamatan: str  # as a ketua types it after /daftar
    kecamatan: str
    village: str
    office: str
    short: str  # the dashboard's header
    village_word: str


SCENES = {
    "cirebon": Scene("32.09", "kec. sumber", "Sumber", "Kaliwadas", "Dinas Sosial Kabupaten Cirebon", "Kab. Cirebon",
                     "desa/kelurahan"),
    "bandung": Scene("32.73", "Kec. coblong, Kota Bandung", "Coblong", "Dago", "Dinas Sosial Kota Bandung",
                     "Kota Bandung", "kelurahan"),
    "mimika": Scene("94.04", "mimikabaru", "Mimika Baru", "Timika Jaya", "Dinas Sosial Kabupaten Mimika",
                    "Kab. Mimika", "desa/kelurahan"),
}  # fmt: skip


@pytest.fixture(params=list(SCENES))
def scene(request) -> Scene:  # type: ignore[no-untyped-def]
    return SCENES[request.param]


@pytest.fixture
async def world(fake, clock, tmp_path, scene):
    """The conftest world for the scene's WILAYAH_KODE, with the dashboard on and a group of its own kecamatan."""
    populate(fake)
    fake.add_group(GROUP, f"Karang Taruna Kec. {scene.kecamatan}", members={KETUA: "creator", ANGGOTA: "member"})
    port = free_port()
    config = make_config(
        fake.api_url, fake.token, tmp_path / "bot.db", {ADMIN_1, ADMIN_2}, wilayah_kode=scene.code,
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
        wilayah.use(wilayah.DEFAULT_CODE)  # the next test's bot, built without a world, finds Cirebon


def region(scene: Scene) -> wilayah.Region:
    return wilayah.load(scene.code)


async def register(world: World, scene: Scene) -> None:
    """The ketua adds the bot, sees the region's kecamatan as buttons, types the kecamatan; an admin approves."""
    await world.all_handled(world.fake.add_bot_to_group(GROUP, KETUA))
    assert scene.office in last(world, GROUP)["text"]
    await world.say(KETUA, GROUP, "/daftar")
    picker = last(world, GROUP)
    assert list(buttons(picker)) == [k.name for k in region(scene).kecamatan]
    await world.say(KETUA, GROUP, f"/daftar {scene.typed_kecamatan}")
    request = world.fake.messages(ADMIN_1)[-1]
    assert f"Kecamatan: {scene.kecamatan}" in request["text"]
    await world.press(ADMIN_1, request, buttons(request)["Setujui"])
    assert f"Karang Taruna <b>Kecamatan {scene.kecamatan}</b>" in last(world, GROUP)["text"] or (
        f"Kecamatan {scene.kecamatan}" in last(world, GROUP)["text"]
    )


async def broadcast(world: World) -> None:
    await kirim(world, await compose(world, "Rapat koordinasi Karang Taruna, Senin pukul 09.00 di aula Dinas Sosial."))
    [copy] = group_copies(world, GROUP)
    await world.press(KETUA, copy, buttons(copy)["Sudah dibaca"])


async def laporan(world: World, scene: Scene) -> None:
    """A member fills the laporan in private, naming a village of the region, and sends it."""
    await world.say(ANGGOTA, GROUP, "/laporan")
    url = buttons(last(world, GROUP))["Isi lewat chat pribadi"]
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, parse_qs(urlparse(url).query)["start"][0]))
    await answer(world, ANGGOTA, "Pelatihan sablon remaja")
    await press(world, ANGGOTA, "Pendidikan dan Pelatihan")
    question = await answer(world, ANGGOTA, "kemarin")
    # The village question offers the region's own villages of the group's kecamatan (wilayah_desa.csv).
    here = region(scene)
    kecamatan = here.match_kecamatan(scene.kecamatan)
    assert kecamatan is not None and "Di desa/kelurahan mana?" in question
    offered = set(buttons(last(world, ANGGOTA))) - {"⬅️ Kembali"}
    assert {v.name for v in kecamatan.villages} | {"Tingkat kecamatan"} == offered
    await answer(world, ANGGOTA, scene.village.lower())
    await answer(world, ANGGOTA, "35 orang")
    await press(world, ANGGOTA, "Anak Terlantar")
    await press(world, ANGGOTA, "Selesai")
    await answer(world, ANGGOTA, "12")
    await press(world, ANGGOTA, "Swadaya")
    await press(world, ANGGOTA, "Lewati")
    await answer(world, ANGGOTA, "Remaja mampu menyablon kaos sendiri")
    await answer(world, ANGGOTA, "Peralatan kurang")
    await world.bot.handled(world.fake.send_message(ANGGOTA, ANGGOTA, photo=world.fake.new_file(b"foto", "photo")))
    await press(world, ANGGOTA, "Selesai")
    summary = last(world, ANGGOTA)["text"]
    assert "Pelatihan sablon remaja" in summary and scene.village in summary, summary
    await press(world, ANGGOTA, "Kirim")
    await world.sent()


async def remind(world: World) -> dict:
    """Kirim sekarang from /pengingat: the group, which has not evaluated this week, is reminded."""
    await world.say(ADMIN_1, ADMIN_1, "/pengingat")
    overview = world.fake.messages(ADMIN_1)[-1]
    await world.press(ADMIN_1, overview, buttons(overview)["Kirim sekarang"])
    await world.sent()
    return next(m for m in reversed(world.fake.messages(GROUP)) if "Yth." in m.get("text", ""))


async def rekap(world: World) -> str:
    before = len(world.fake.messages(ADMIN_1))
    await world.say(ADMIN_1, ADMIN_1, "/rekap")
    return "\n".join(m.get("text", "") for m in world.fake.messages(ADMIN_1)[before:])


async def ekspor(world: World) -> openpyxl.Workbook:
    await world.say(ADMIN_1, ADMIN_1, "/ekspor")
    document = world.fake.calls("sendDocument")[-1]
    assert document.ok
    return openpyxl.load_workbook(io.BytesIO(document.params["document"].data))


async def ringkasan(world: World) -> tuple[str, str, str]:
    """The dashboard's Ringkasan as an admin sees it: its heading, its header and the whole page's text."""
    await world.say(ADMIN_1, ADMIN_1, "/dasbor")
    link = login_link(last(world, ADMIN_1)["text"])
    async with chromium() as browser:
        page = await browser.new_page()
        await log_in(page, link)
        heading = (await page.locator("h1").inner_text()).strip()
        brand = (await page.locator("header .brand").inner_text()).strip()
        title = await page.title()
        body = await page.locator("body").inner_text()
    return heading, brand, f"{title}\n{body}"


def everything_said(world: World) -> str:
    """Every parameter of every Bot API call the bot made: texts, captions, buttons, command menus."""
    return "\n".join(json.dumps(r.params, default=str, ensure_ascii=False) for r in world.fake.requests)


def cells(*sheets) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c.value) for ws in sheets for row in ws.iter_rows() for c in row if c.value is not None]


async def test_the_main_scenario_follows_the_region(world, scene):
    here = region(scene)
    kecamatan = here.match_kecamatan(scene.kecamatan)
    assert kecamatan is not None
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")  # Siti takes the daily summary instead of each copy
    await world.press(ADMIN_1, last(world, ADMIN_1), buttons(last(world, ADMIN_1))["Cukup ringkasan harian"])
    await register(world, scene)
    await broadcast(world)
    await laporan(world, scene)
    [report] = await forms.all_reports(world.bot.db, "laporan")
    assert report.kecamatan_code == kecamatan.code
    village = here.match_village(kecamatan, scene.village)
    assert village is not None and report.answers["lokasi"] == {"code": village.code, "name": scene.village}
    assert world.bot.app is not None and world.bot.app.job_queue is not None
    [daily] = world.bot.app.job_queue.get_jobs_by_name("reviews:daily")
    await daily.run(world.bot.app)
    await world.sent()
    assert "yang masuk hari ini: 1" in last(world, ADMIN_1)["text"]
    await world.say(ADMIN_1, ADMIN_1, "/tinjau")
    assert f"Kecamatan {scene.kecamatan}" in last(world, ADMIN_1)["text"]

    reminder = await remind(world)
    assert f"Kecamatan {scene.kecamatan}" in reminder["text"]

    recap = await rekap(world)
    assert f"• {scene.kecamatan}" in recap and "Laporan kegiatan" in recap
    assert world.fake.calls("sendPhoto")[-1].params["photo"].filename == "rekap.png"

    workbook = await ekspor(world)
    for ws in workbook.worksheets:
        assert ws.cell(1, 1).value == scene.office, ws.title
    assert workbook["Status kecamatan"].cell(2, 1).value == f"Status {len(here.kecamatan)} kecamatan"
    assert scene.kecamatan in cells(workbook["Status kecamatan"])

    heading, brand, page = await ringkasan(world)
    assert heading == f"Ringkasan {len(here.kecamatan)} kecamatan"
    assert brand.endswith(f"Karang Taruna {scene.short}")

    await world.say(ANGGOTA, ANGGOTA, "/bantuan")
    await world.say(ADMIN_1, ADMIN_1, "/ekspor lpj Atlantis")
    assert f"tidak ditemukan di {here.name}" in last(world, ADMIN_1)["text"]

    if scene.code != wilayah.DEFAULT_CODE:
        said = everything_said(world)
        assert "Cirebon" not in said and "Sumber" not in said.replace("Sumber dana", "").replace("sumber_dana", "")
        assert not [c for c in cells(*workbook.worksheets) if "Cirebon" in c]
        assert "Cirebon" not in page


def test_the_program_kerja_lokasi_offers_the_regions_villages(scene):
    """The program kerja's lokasi question (the chat form, the Excel template and the web page share its list)."""
    here = wilayah.use(scene.code)
    try:
        kecamatan = here.match_kecamatan(scene.kecamatan)
        assert kecamatan is not None
        choices = chat_form.form().choices["desa"]
        offered = [c.label for c in choices if ("kec", kecamatan.code) in c.extra]
        assert offered == [v.name for v in kecamatan.villages]
        village = here.match_village(kecamatan, scene.village)
        assert village is not None
        assert chat_form.read_answer("lokasi", scene.village.upper(), kecamatan) == village.code
        assert here.village_word == scene.village_word
        lokasi = next(q for q in chat_form.form().children if q.name == "lokasi")
        if scene.village_word == "kelurahan":  # a kota of kelurahan only never asks for a desa
            assert "desa" not in (lokasi.label + lokasi.hint).lower() and "kelurahan" in lokasi.label
    finally:
        wilayah.use(wilayah.DEFAULT_CODE)
