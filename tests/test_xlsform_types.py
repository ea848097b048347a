"""Issue 18, types: range, rank, barcode, file, audio, video, geotrace, geoshape and start-geopoint asked in the
chat, each with the kind of message it takes; osm left out with its row named, the rest of the form asked."""

from __future__ import annotations

from io import BytesIO
from types import SimpleNamespace

import numpy
import zxingcpp
from PIL import Image

from bot.xlsform.export import _answer_columns
from bot.xlsform.read import read_xlsform
from bot.xlsform.session import State
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA, World
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import answer, follow_notice, send_xlsx

TYPES = xlsform(
    [
        q("start-geopoint", "posisi_awal"),
        q("range", "nilai", "Nilai pelayanan", parameters="start=1 end=5"),
        q("range", "umur", "Umur ketua", parameters="start=15 end=80 step=5"),
        q("rank", "prioritas", "Urutkan prioritas bantuan", list_name="bantuan"),
        q("barcode", "kode", "Kode kartu"),
        q("file", "surat", "Surat pengantar"),
        q("audio", "suara", "Pesan suara"),
        q("video", "rekaman", "Video kegiatan"),
        q("osm", "peta", "Peta bangunan"),
        q("geotrace", "jalan", "Jalur jalan desa"),
        q("geoshape", "lahan", "Batas lahan"),
    ],
    [c("bantuan", "pkh", "PKH"), c("bantuan", "bpnt", "BPNT"), c("bantuan", "blt", "BLT")],
    {"form_title": "Survei jenis", "form_id": "survei_jenis", "version": "1"},
)


def qr_photo(text: str) -> bytes:
    image = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode), scale=4)
    out = BytesIO()
    Image.fromarray(numpy.array(image)).save(out, "PNG")
    return out.getvalue()


async def send(world: World, user: int, **fields) -> str:
    await world.bot.handled(world.fake.send_message(user, user, **fields))
    return last(world, user).get("text", "")


async def send_file(world: World, user: int, kind: str, data: bytes = b"isi", **extra) -> str:
    return await send(world, user, **{kind: world.fake.new_file(data, kind, **extra)})


def keyboard(world: World, user: int) -> dict | None:
    """The reply keyboard the person's Telegram shows under the chat now (None: the usual one)."""
    return world.fake.world.chat(user).reply_keyboard


def point(lat: float, lon: float) -> dict:
    return {"latitude": lat, "longitude": lon}


async def upload_types(world: World) -> dict:
    await approve_sumber(world)
    reply = await send_xlsx(world, ADMIN_1, TYPES, "survei_jenis.xlsx")
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    return reply


async def test_every_type_is_asked_with_its_own_kind_of_message_and_stored_as_odk_stores_it(world):
    uploaded = await upload_types(world)
    assert "Survei jenis" in uploaded["text"] and "Pertanyaan: 10" in uploaded["text"]
    assert "baris 10, kolom type: jenis 'osm' ('peta') belum bisa diisi lewat chat" in uploaded["text"]
    await follow_notice(world, ANGGOTA, "Survei jenis")

    # start-geopoint: first, with Telegram's location button on a reply keyboard
    asked = last(world, ANGGOTA)
    assert "Kirim lokasi Anda saat ini" in asked["text"]
    keys = [k for row in keyboard(world, ANGGOTA)["keyboard"] for k in row]
    assert keys[0]["request_location"] is True and keys[1]["text"] == "Lewati"
    assert "tekan tombol 📍 Kirim lokasi" in await answer(world, ANGGOTA, "di balai desa")
    await send(world, ANGGOTA, location=point(-6.75, 108.48))
    assert world.fake.messages(ANGGOTA)[-2]["text"] == "Lokasi tersimpan." and keyboard(world, ANGGOTA) is None

    # range with few values: buttons; with many: typed, checked against start, end and step
    assert "Nilai pelayanan" in last(world, ANGGOTA)["text"]
    assert list(buttons(last(world, ANGGOTA)))[:5] == ["1", "2", "3", "4", "5"]
    await press(world, ANGGOTA, "4")
    assert "Tulis angka dari 15 sampai 80 (kelipatan 5)" in last(world, ANGGOTA)["text"]
    assert "Angka harus dari 15 sampai 80" in await answer(world, ANGGOTA, "90")
    assert "Angka harus 15 ditambah kelipatan 5" in await answer(world, ANGGOTA, "37")
    assert "Mohon tulis angka" in await answer(world, ANGGOTA, "tiga puluh")

    # rank: each tap takes the choice off the buttons; Selesai once all have their place
    assert "Urutkan prioritas bantuan" in await answer(world, ANGGOTA, "35")
    await press(world, ANGGOTA, "BLT")
    shown = last(world, ANGGOTA)
    assert "Urutan: 1. BLT" in shown["text"] and "BLT" not in buttons(shown) and "Selesai" not in buttons(shown)
    await press(world, ANGGOTA, "PKH")
    await press(world, ANGGOTA, "BPNT")
    assert "Urutan: 1. BLT, 2. PKH, 3. BPNT" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Selesai")

    # barcode: a photo of the code is read; a sticker is no answer
    assert "Kode kartu" in last(world, ANGGOTA)["text"]
    assert "tidak terbaca" in await send_file(world, ANGGOTA, "photo", b"bukan gambar")
    assert "Surat pengantar" in await send_file(world, ANGGOTA, "photo", qr_photo("KKS-3209150001"))

    # file, audio, video: the message of that kind, kept as its file id
    assert "kirim file sebagai dokumen" in await send_file(world, ANGGOTA, "sticker")
    assert "Pesan suara" in await send_file(world, ANGGOTA, "document", b"%PDF", file_name="surat.pdf")
    assert "pesan suara" in await send_file(world, ANGGOTA, "document", b"%PDF", file_name="lagi.pdf")
    assert "Video kegiatan" in await send_file(world, ANGGOTA, "voice", b"ogg")
    assert "Mohon kirim video" in await send_file(world, ANGGOTA, "photo", b"foto")
    assert "Jalur jalan desa" in await send_file(world, ANGGOTA, "video", b"mp4")

    # geotrace: locations one after another, Selesai from the second; geoshape: from the third, ring closed
    await send(world, ANGGOTA, location=point(-6.70, 108.50))
    assert "Titik terkirim: 1." in last(world, ANGGOTA)["text"] and "Selesai" not in buttons(last(world, ANGGOTA))
    assert "kirim lokasi" in (await send_file(world, ANGGOTA, "sticker")).lower()
    await send(world, ANGGOTA, location=point(-6.71, 108.51))
    await press(world, ANGGOTA, "Selesai")
    assert "Batas lahan" in last(world, ANGGOTA)["text"]
    for lat, lon in ((-6.80, 108.40), (-6.80, 108.41), (-6.81, 108.41)):
        await send(world, ANGGOTA, location=point(lat, lon))
    assert "Titik terkirim: 3." in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Selesai")

    summary = last(world, ANGGOTA)["text"]
    assert "Urutkan prioritas bantuan: BLT, PKH, BPNT" in summary and "Batas lahan: 4 titik" in summary
    assert "Peta bangunan" not in summary
    await press(world, ANGGOTA, "Kirim")
    assert "#1 sudah terkirim" in last(world, ANGGOTA)["text"]

    [form] = [f for f in await xlsforms.all_forms(world.bot.db) if f.form_id == "survei_jenis"]
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert answers["posisi_awal"] == "-6.75 108.48 0 0"
    assert (answers["nilai"], answers["umur"], answers["prioritas"]) == ("4", "35", "blt pkh bpnt")
    assert answers["kode"] == "KKS-3209150001"
    for name in ("surat", "suara", "rekaman"):
        assert answers[name] and " " not in answers[name], name  # a Telegram file id
    assert answers["jalan"] == "-6.7 108.5 0 0;-6.71 108.51 0 0"
    assert answers["lahan"] == "-6.8 108.4 0 0;-6.8 108.41 0 0;-6.81 108.41 0 0;-6.8 108.4 0 0"
    assert "peta" not in answers


async def test_the_starting_location_may_be_skipped_and_a_ranking_typed(world):
    await upload_types(world)
    await follow_notice(world, ANGGOTA, "Survei jenis")
    await answer(world, ANGGOTA, "Lewati")
    assert world.fake.messages(ANGGOTA)[-2]["text"] == "Lokasi dilewati." and keyboard(world, ANGGOTA) is None
    await press(world, ANGGOTA, "2")
    await answer(world, ANGGOTA, "80")
    assert "Urutkan semua pilihan dulu" in await answer(world, ANGGOTA, "BPNT, PKH")
    assert "Kode kartu" in await answer(world, ANGGOTA, "BPNT, PKH, BLT")
    assert "Surat pengantar" in await answer(world, ANGGOTA, "KKS-1")
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    answers = State.from_json(draft.state).answers
    assert answers["prioritas"] == "bpnt pkh blt" and "posisi_awal" not in answers


def test_a_range_with_many_values_has_no_buttons_and_a_loop_and_entities_are_left_out():
    form = read_xlsform(
        xlsform(
            [
                q("range", "skor", "Skor", parameters="start=0 end=100 step=1"),
                q("begin loop over bantuan", "tiap", "Tiap bantuan"),
                q("integer", "jumlah", "Jumlah"),
                q("end loop", ""),
            ],
            [c("bantuan", "pkh", "PKH")],
        )
    )
    assert [x.name for x in form.questions()] == ["skor"]
    assert form.question("skor").parameters == "start=0 end=100 step=1"
    assert len(form.ignored) == 1 and "baris 3" in form.ignored[0] and "begin loop" in form.ignored[0]


def test_files_and_lines_of_points_are_exported_as_stored():
    form = read_xlsform(TYPES)
    columns = {column.header: column for column in _answer_columns(form, ())}
    submitted = SimpleNamespace(answers={"surat": "BQACAgUAAx0", "jalan": "-6.7 108.5 0 0;-6.71 108.51 0 0"})
    row = {"submission": submitted, "prefix": ""}
    assert columns["Surat pengantar"].value(row) == "BQACAgUAAx0"
    assert columns["Jalur jalan desa"].value(row) == "-6.7 108.5 0 0;-6.71 108.51 0 0"
