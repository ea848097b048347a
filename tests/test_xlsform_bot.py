"""XLSForm forms through the real bot and the fake Telegram server: upload, test fill, publish, fill, versions."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from urllib.parse import parse_qs, urlparse

from openpyxl import load_workbook

from bot.xlsx_export import HEADER_ROW
from storage import xlsforms
from storage.export import all_tables
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, STRANGER, SUMBER_GROUP, World
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, open_from_group, press, settled
from tests.test_registration import approve_sumber
from tests.test_reminders import FRIDAY_0900, tick

SUMBER = "32.09.15"

PENDATAAN = xlsform(
    [
        q("start", "mulai"),
        q("today", "hari_ini"),
        q("text", "nama", "Nama kepala keluarga", required="yes", hint="Sesuai KTP"),
        q("integer", "umur", "Umur", required="yes", constraint=". >= 17 and . <= 120",
          **{"constraint_message::Indonesian (id)": "Umur 17 sampai 120 tahun"}),
        q("begin_group", "tempat", "Tempat tinggal"),
        q("select_one wilayah", "kec", "Kecamatan"),
        q("select_one desa", "desa", "Desa", choice_filter="kec = ${kec}"),
        q("end_group", ""),
        q("select_one yn", "bekerja", "Apakah bekerja?"),
        q("text", "pekerjaan", "Pekerjaan", required="yes", relevant="${bekerja} = 'ya'"),
        q("select_multiple bantuan", "bantuan", "Bantuan yang diterima"),
        q("begin_repeat", "anak", "Anak"),
        q("text", "nama_anak", "Nama anak"),
        q("end_repeat", ""),
        q("calculate", "jumlah_anak", calculation="count(${nama_anak})"),
        q("note", "terima_kasih", "Terima kasih, ${nama}. Anak: ${jumlah_anak}."),
    ],
    [
        c("wilayah", "sumber", "Sumber"),
        c("wilayah", "weru", "Weru"),
        c("desa", "kaliwadas", "Kaliwadas", kec="sumber"),
        c("desa", "babakan", "Babakan", kec="sumber"),
        c("desa", "tegalwangi", "Tegalwangi", kec="weru"),
        c("yn", "ya", "Ya"),
        c("yn", "tidak", "Tidak"),
        c("bantuan", "pkh", "PKH"),
        c("bantuan", "bpnt", "BPNT"),
    ],
    {"form_title": "Pendataan keluarga", "form_id": "pendataan", "version": "1"},
)  # fmt: skip


async def send_xlsx(world: World, user: int, data: bytes, name: str = "pendataan.xlsx") -> dict:
    document = world.fake.new_file(data, "document", file_name=name, mime_type="application/vnd.ms-excel")
    await world.bot.handled(world.fake.send_message(user, user, document=document))
    return last(world, user)


async def answer(world: World, user: int, text: str) -> str:
    await world.say(user, user, text)
    return last(world, user)["text"]


async def follow_notice(world: World, user: int, title: str = "Pendataan keluarga") -> None:
    """The member presses the publication notice's button in the group: /start <payload> in private."""
    await settled(world)
    notice = next(m for m in reversed(world.fake.messages(SUMBER_GROUP)) if title in m.get("text", ""))
    url = next(iter(buttons(notice).values()))
    payload = parse_qs(urlparse(url).query)["start"][0]
    await world.bot.handled(world.fake.user_starts_bot(user, payload))


async def upload_and_publish(world: World, data: bytes = PENDATAAN, name: str = "pendataan.xlsx") -> None:
    await send_xlsx(world, ADMIN_1, data, name)
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")


async def fill_pendataan(world: World, user: int) -> None:
    """Every question up to the summary: a constraint refusal, a cascade, a hidden required question, a repeat."""
    assert "Nama kepala keluarga" in last(world, user)["text"] and "Sesuai KTP" in last(world, user)["text"]
    await answer(world, user, "Sutrisno")
    assert "Umur 17 sampai 120 tahun" in await answer(world, user, "12")
    assert "Kecamatan" in await answer(world, user, "45")
    await press(world, user, "Sumber")
    assert set(buttons(last(world, user))) >= {"Kaliwadas", "Babakan"}
    assert "Tegalwangi" not in buttons(last(world, user))
    await answer(world, user, "kaliwadass")  # a typo, still the one village it can be
    await press(world, user, "Tidak")  # the required Pekerjaan is skipped
    assert "Bantuan yang diterima" in last(world, user)["text"]
    await press(world, user, "PKH")
    await press(world, user, "BPNT")
    await press(world, user, "Selesai")
    await answer(world, user, "Rina")
    await press(world, user, "Ya, tambah")
    await answer(world, user, "Dodi")
    await press(world, user, "Tidak")
    assert "Terima kasih, Sutrisno. Anak: 2." in last(world, user)["text"]
    await press(world, user, "Lanjut")


async def test_an_uploaded_xlsform_is_read_and_described_to_the_admin(world):
    reply = await send_xlsx(world, ADMIN_1, PENDATAAN)
    assert "Pendataan keluarga" in reply["text"] and "Versi: 1" in reply["text"]
    assert "Pertanyaan: 9 · Bagian: 2" in reply["text"]
    assert set(buttons(reply)) == {"Coba isi", "Terbitkan"}


async def test_a_bad_upload_is_refused_with_its_reasons_and_nothing_is_stored(world):
    bad = xlsform([q("text", "a", "A"), q("text", "c", "C", relevant="1 +"), q("integer", "b", "B", constraint=". >")])
    reply = await send_xlsx(world, ADMIN_1, bad)
    assert "tidak ada yang disimpan" in reply["text"]
    assert "baris 3, kolom relevant" in reply["text"]
    assert "baris 4, kolom constraint" in reply["text"]
    reply = await send_xlsx(world, ADMIN_1, b"bukan excel", name="data.xlsx")
    assert "bukan file Excel .xlsx" in reply["text"]
    assert await xlsforms.all_forms(world.bot.db) == []


async def test_only_admins_upload(world):
    await world.say(STRANGER, STRANGER, "/start")
    reply = await send_xlsx(world, STRANGER, PENDATAAN)
    assert reply["text"] == "Hanya admin Dinsos yang dapat mengunggah formulir."
    assert await xlsforms.all_forms(world.bot.db) == []


async def test_a_test_fill_is_not_stored_as_a_submission(world):
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    await press(world, ADMIN_1, "Coba isi")
    assert "uji coba" in last(world, ADMIN_1)["text"]
    await fill_pendataan(world, ADMIN_1)
    await press(world, ADMIN_1, "Kirim")
    assert "Uji coba selesai" in last(world, ADMIN_1)["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    assert await xlsforms.submissions(world.bot.db, form.id) == []


async def test_a_published_form_is_filled_by_a_group_member_and_reaches_dinsos(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    assert "diterbitkan, sekali, batas Senin, 30 November 2026" in last(world, ADMIN_1)["text"]
    await follow_notice(world, ANGGOTA)
    await fill_pendataan(world, ANGGOTA)
    summary = last(world, ANGGOTA)["text"]
    for expected in ("Sutrisno", "Kaliwadas", "PKH, BPNT", "Anak 2 › Nama anak: Dodi"):
        assert expected in summary
    assert "Pekerjaan" not in summary
    await press(world, ANGGOTA, "Kirim")
    assert "Pendataan keluarga #1 sudah terkirim" in last(world, ANGGOTA)["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert submission.kecamatan_code == SUMBER
    assert (answers["umur"], answers["desa"], answers["bantuan"]) == ("45", "kaliwadas", "pkh bpnt")
    assert answers["jumlah_anak"] == "2"
    assert answers["anak[2]/nama_anak"] == "Dodi" and "pekerjaan" not in answers
    assert answers["hari_ini"] == "2026-11-23"
    await settled(world)
    copy = next(m for m in world.fake.messages(ADMIN_1) if "Pendataan keluarga #1" in m.get("text", ""))
    assert "Kecamatan Sumber" in copy["text"] and "Sutrisno" in copy["text"]


async def test_kembali_and_a_changed_answer_drop_what_became_irrelevant(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, KETUA)
    await answer(world, KETUA, "Sutrisno")
    await answer(world, KETUA, "45")
    await press(world, KETUA, "⬅️ Kembali")
    assert "Umur" in last(world, KETUA)["text"] and "Jawaban sekarang: 45" in last(world, KETUA)["text"]
    await press(world, KETUA, "Tetap")
    await press(world, KETUA, "Sumber")
    await press(world, KETUA, "Babakan")
    await press(world, KETUA, "Ya")
    await answer(world, KETUA, "Petani")
    await press(world, KETUA, "Selesai")
    await answer(world, KETUA, "Rina")
    await press(world, KETUA, "Tidak")
    await press(world, KETUA, "Lanjut")
    assert "Petani" in last(world, KETUA)["text"]
    await press(world, KETUA, "Ubah")
    await press(world, KETUA, "Apakah bekerja?")
    await press(world, KETUA, "Tidak")
    summary = last(world, KETUA)["text"]
    assert "Ringkasan" in summary and "Petani" not in summary


async def test_outsiders_cannot_fill_and_batal_asks_first(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await world.say(STRANGER, STRANGER, "/start")
    await follow_notice(world, STRANGER)
    assert "tidak ditujukan untuk kecamatan Anda" in last(world, STRANGER)["text"]
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    await world.say(ANGGOTA, ANGGOTA, "/batal")
    assert "Buang semua jawaban" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Tidak, lanjut mengisi")
    assert "Umur" in last(world, ANGGOTA)["text"]
    await world.say(ANGGOTA, ANGGOTA, "/batal")
    await press(world, ANGGOTA, "Ya, buang jawaban")
    assert await xlsforms.active_draft(world.bot.db, ANGGOTA) is None


async def test_a_draft_started_on_version_1_finishes_on_it_after_version_2_is_published(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    version_2 = xlsform(
        [q("text", "nama", "Nama lengkap kepala keluarga", required="yes"), q("integer", "umur", "Umur")],
        settings={"form_title": "Pendataan keluarga", "form_id": "pendataan", "version": "2"},
    )
    reply = await send_xlsx(world, ADMIN_1, version_2)
    assert "Versi baru formulir" in reply["text"] and "Versi: 2" in reply["text"]
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap minggu")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    # The member's draft keeps version 1's questions.
    assert "Kecamatan" in await answer(world, ANGGOTA, "45")
    [form] = await xlsforms.all_forms(world.bot.db)
    versions = await xlsforms.versions(world.bot.db, form.id)
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert draft is not None and draft.version_id == versions[0].id
    await press(world, ANGGOTA, "Weru")
    await press(world, ANGGOTA, "Tegalwangi")
    await press(world, ANGGOTA, "Tidak")
    await press(world, ANGGOTA, "Selesai")
    await answer(world, ANGGOTA, "Rina")
    await press(world, ANGGOTA, "Tidak")
    await press(world, ANGGOTA, "Lanjut")
    await press(world, ANGGOTA, "Kirim")
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    assert submission.version_id == versions[0].id


async def test_formulir_lists_downloads_and_closes(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await world.say(ADMIN_1, ADMIN_1, "/formulir")
    listing = last(world, ADMIN_1)
    assert "1. Pendataan keluarga – diterbitkan, versi 1, 0 kiriman" in listing["text"]
    await press(world, ADMIN_1, "1. Unduh XLSForm")
    document = last(world, ADMIN_1)["document"]
    assert document["file_name"] == "pendataan-v1.xlsx"
    assert world.fake.world.files[document["file_id"]].data == PENDATAAN
    await press(world, ADMIN_1, "1. Tutup")
    assert "ditutup" in last(world, ADMIN_1)["text"]
    await follow_notice(world, ANGGOTA)
    assert last(world, ANGGOTA)["text"] == "Formulir sudah ditutup. Tidak bisa diisi lagi."


KEGIATAN = xlsform(
    [
        q("date", "tanggal", "Tanggal kegiatan", constraint=". <= today()",
          **{"constraint_message::Indonesian (id)": "Tanggal tidak boleh di masa depan"}),
        q("time", "jam", "Jam mulai"),
        q("decimal", "luas", "Luas lahan (hektar)", default="1.5"),
        q("select_one jenis or_other", "jenis", "Jenis kegiatan"),
        q("integer", "sesi", "Berapa sesi?", required="yes",
          **{"required_message::Indonesian (id)": "Jumlah sesi wajib diisi"}),
        q("begin_repeat", "sesi_ke", "Sesi", repeat_count="${sesi}"),
        q("text", "materi", "Materi sesi ke-${nomor}"),
        q("calculate", "nomor", calculation="position(..)"),
        q("end_repeat", ""),
        q("image", "foto", "Foto kegiatan"),
        q("geopoint", "lokasi", "Lokasi kegiatan"),
        q("acknowledge", "setuju", "Data sudah benar"),
        q("calculate", "jenis_nama", calculation="jr:choice-name(${jenis}, '${jenis}')"),
        q("note", "penutup", "Jenis: ${jenis_nama}, mulai ${jam}"),
    ],
    [c("jenis", "pelatihan", "Pelatihan"), c("jenis", "bakti", "Bakti sosial")],
    {"form_title": "Kegiatan lapangan", "form_id": "kegiatan", "version": "2026120101"},
)  # fmt: skip


async def test_dates_times_decimals_photos_points_other_and_repeat_count_through_the_chat(world):
    await send_xlsx(world, ADMIN_1, KEGIATAN)
    await press(world, ADMIN_1, "Coba isi")
    assert "Format tanggal tidak dikenali" in await answer(world, ADMIN_1, "besok pagi")
    assert "Tanggal tidak boleh di masa depan" in await answer(world, ADMIN_1, "30/11/2026")
    assert "Jam mulai" in await answer(world, ADMIN_1, "kemarin")
    assert "Jawaban sekarang: 1.5" in await answer(world, ADMIN_1, "08.30")
    await press(world, ADMIN_1, "Tetap")
    await press(world, ADMIN_1, "Lainnya")
    assert "Sebutkan lainnya" in last(world, ADMIN_1)["text"]
    await answer(world, ADMIN_1, "Gotong royong")
    assert "Lewati" not in buttons(last(world, ADMIN_1))  # a required question
    assert "Materi sesi ke-1" in await answer(world, ADMIN_1, "2")
    assert "Materi sesi ke-2" in await answer(world, ADMIN_1, "Pembukaan")
    assert "Foto kegiatan" in await answer(world, ADMIN_1, "Praktik")
    assert "Mohon kirim foto" in await answer(world, ADMIN_1, "ini fotonya")
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, photo=world.fake.new_file(b"foto", "photo")))
    assert "Lokasi kegiatan" in last(world, ADMIN_1)["text"]
    location = {"latitude": -6.72, "longitude": 108.55}
    await world.bot.handled(world.fake.send_message(ADMIN_1, ADMIN_1, location=location))
    await press(world, ADMIN_1, "OK")
    assert "Jenis: Lainnya, mulai 08.30" in last(world, ADMIN_1)["text"]
    await press(world, ADMIN_1, "Lanjut")
    summary = last(world, ADMIN_1)["text"]
    for expected in ("Tanggal kegiatan: 22 November 2026", "Jam mulai: 08.30", "Luas lahan (hektar): 1.5",
                     "Sebutkan lainnya: Gotong royong", "Sesi 2 › Materi sesi ke-2: Praktik", "Foto kegiatan: 1 foto",
                     "Lokasi kegiatan: -6.72, 108.55"):  # fmt: skip
        assert expected in summary


async def test_the_export_gives_the_form_its_sheet_and_the_repeat_its_own(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await fill_pendataan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    await world.say(ADMIN_1, ADMIN_1, "/ekspor")
    document = last(world, ADMIN_1)["document"]
    book = load_workbook(BytesIO(world.fake.world.files[document["file_id"]].data))
    sheet = book["Pendataan keluarga"]
    assert sheet.cell(1, 1).value == "Dinas Sosial Kabupaten Cirebon" and sheet.cell(2, 1).value == "Pendataan keluarga"
    main = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    assert main[0] == [
        "No. kiriman", "Kecamatan", "Dikirim oleh", "Waktu kirim (WIB)", "Versi formulir", "mulai", "hari_ini",
        "Nama kepala keluarga", "Umur", "Kecamatan", "Desa", "Apakah bekerja?", "Pekerjaan", "Bantuan yang diterima",
        "jumlah_anak",
    ]  # fmt: skip
    row = main[1]
    assert row[:3] == [1, "Sumber", "Dewi"] and row[4] == "1"
    assert row[7:14] == ["Sutrisno", 45, "Sumber", "Kaliwadas", "Tidak", None, "PKH, BPNT"] and row[14] == 2
    repeat = [list(r) for r in book["Pendataan keluarga - Anak"].iter_rows(min_row=HEADER_ROW, values_only=True)]
    assert repeat == [["No. kiriman", "Kecamatan", "Isian ke", "Nama anak"], [1, "Sumber", "1", "Rina"],
                      [1, "Sumber", "2", "Dodi"], ["Jumlah (2 baris)", None, None, None]]  # fmt: skip
    [exported] = (await all_tables(world.bot.db))["xlsforms"]
    assert exported["form_id"] == "pendataan" and exported["versions"][0]["version"] == "1"
    [submission] = exported["submissions"]
    assert submission["answers"]["anak[1]/nama_anak"] == "Rina" and submission["repeats"] == {"anak": 2}


async def test_a_weekly_form_reminds_the_groups_still_missing_it_once_per_slot(world):
    await approve_sumber(world)
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap minggu")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    world.clock.set(FRIDAY_0900 + timedelta(seconds=30))
    await tick(world)
    await tick(world)
    reminders = [m for m in world.fake.messages(SUMBER_GROUP) if "belum diisi" in m.get("text", "")]
    assert len(reminders) == 1 and "Pendataan keluarga" in reminders[0]["text"]
    assert "?start=xf" in next(iter(buttons(reminders[0]).values()))
    [digest] = [m["text"] for m in world.fake.messages(ADMIN_1) if "Pengingat evaluasi" in m.get("text", "")]
    assert digest.split("\n\n")[-1].splitlines() == [
        "Formulir dari Dinas Sosial",
        "📋 Pendataan keluarga (batas Minggu, 29 November 2026): 0/1 kecamatan sudah mengisi",
        "⏳ Belum mengisi, sudah diingatkan (1): Sumber",
    ]


async def test_a_group_that_sent_the_form_this_period_is_not_reminded(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await fill_pendataan(world, ANGGOTA)
    await press(world, ANGGOTA, "Kirim")
    world.clock.set(FRIDAY_0900 + timedelta(seconds=30))
    await tick(world)
    assert [m for m in world.fake.messages(SUMBER_GROUP) if "belum diisi" in m.get("text", "")] == []
    [digest] = [m["text"] for m in world.fake.messages(ADMIN_1) if "Pengingat evaluasi" in m.get("text", "")]
    assert "📋 Pendataan keluarga (batas Senin, 30 November 2026): 1/1 kecamatan sudah mengisi" in digest


async def test_with_a_laporan_draft_open_the_answers_go_to_the_form_opened_last(world):
    await approve_sumber(world)
    await open_from_group(world, ANGGOTA)  # a laporan draft, first question asked
    world.clock.advance(timedelta(minutes=1))
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)  # the laporan is not thrown away unasked (tests/test_builtin_forms.py)
    await world.say(ANGGOTA, ANGGOTA, "/batal")
    await press(world, ANGGOTA, "Ya, buang jawaban")
    await follow_notice(world, ANGGOTA)
    assert "Umur" in await answer(world, ANGGOTA, "Sutrisno")
    draft = await xlsforms.active_draft(world.bot.db, ANGGOTA)
    assert draft is not None and '"nama": "Sutrisno"' in draft.state


async def test_a_form_published_to_chosen_kecamatan_reaches_only_their_groups(world):
    await approve_sumber(world)
    await send_xlsx(world, ADMIN_1, PENDATAAN)
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Setiap bulan")
    await press(world, ADMIN_1, "Pilih kecamatan")
    await press(world, ADMIN_1, "Weru")
    await press(world, ADMIN_1, "Waled")
    await press(world, ADMIN_1, "✅ Waled")  # pressed again: not chosen after all
    assert "✅ Weru" in buttons(last(world, ADMIN_1)) and "Waled" in buttons(last(world, ADMIN_1))
    await press(world, ADMIN_1, "Terbitkan untuk 1 kecamatan")
    assert "Pemberitahuan dikirim ke 0 grup kecamatan" in last(world, ADMIN_1)["text"]
    await settled(world)
    assert not any("Pendataan keluarga" in m.get("text", "") for m in world.fake.messages(SUMBER_GROUP))
    [form] = await xlsforms.all_forms(world.bot.db)
    await world.bot.handled(world.fake.user_starts_bot(ANGGOTA, f"xf{form.id}-320915"))
    assert "tidak ditujukan untuk kecamatan Anda" in last(world, ANGGOTA)["text"]


async def test_photos_of_a_submission_reach_dinsos_as_an_album(world):
    await approve_sumber(world)
    await send_xlsx(world, ADMIN_1, xlsform(
        [q("begin_repeat", "dokumentasi", "Dokumentasi"), q("image", "foto", "Kirim foto"), q("end_repeat", "")],
        settings={"form_title": "Foto kegiatan", "form_id": "foto", "version": "1"},
    ))  # fmt: skip
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    await follow_notice(world, ANGGOTA, "Foto kegiatan")
    for content in (b"foto-1", b"foto-2"):
        await world.bot.handled(world.fake.send_message(ANGGOTA, ANGGOTA, photo=world.fake.new_file(content, "photo")))
        await press(world, ANGGOTA, "Ya, tambah" if content == b"foto-1" else "Tidak")
    await press(world, ANGGOTA, "Kirim")
    await settled(world)
    album = [m for m in world.fake.messages(ADMIN_1) if m.get("photo")]
    assert len(album) == 2


async def test_a_draft_left_longer_than_form_draft_hours_expires(world):
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    world.clock.advance(timedelta(hours=world.bot.config.form_draft_hours, minutes=1))
    reply = await answer(world, ANGGOTA, "45")
    assert "pendataan keluarga" in reply and "kedaluwarsa" in reply and "pemberitahuan formulir" in reply
    assert await xlsforms.active_draft(world.bot.db, ANGGOTA) is None


PESERTA = xlsform(
    [
        q("text", "hp", "Nomor HP", constraint="regex(., '^08[0-9]{8,11}$')",
          **{"constraint_message::Indonesian (id)": "Nomor HP diawali 08, 10-13 angka"}),
        q("text", "panggilan", "Nama panggilan (boleh kosong)"),
        q("text", "nama", "Nama lengkap", constraint="string-length(.) >= 3"),
        q("select_multiple minat", "minat", "Minat"),
        q("begin_group", "usaha", "Usaha", relevant="selected(${minat}, 'umkm')"),
        q("decimal", "omzet", "Omzet per bulan (juta)"),
        q("end_group", ""),
        q("calculate", "sapaan", calculation="coalesce(${panggilan}, ${nama})"),
        q("calculate", "jumlah_minat", calculation="count-selected(${minat})"),
        q("calculate", "omzet_bulat", calculation="int(number(${omzet}))"),
        q("calculate", "kelas", calculation="if(${omzet} >= 10, 'menengah', if(${omzet} > 0, 'kecil', '-'))"),
        q("note", "ringkas", "${sapaan}: ${jumlah_minat} minat, ${omzet_bulat} juta, usaha ${kelas}"),
        q("note", "sapa", "Halo ${nama_pendek}!"),
        q("calculate", "nama_pendek", calculation="concat(substring(${nama}, 1, 3), '.')"),
    ],
    [c("minat", "umkm", "UMKM"), c("minat", "olahraga", "Olahraga"), c("minat", "seni", "Seni")],
    {"form_title": "Data peserta", "form_id": "peserta", "version": "1"},
)  # fmt: skip


async def test_functions_in_constraints_calculations_and_a_skipped_section_through_the_chat(world):
    await send_xlsx(world, ADMIN_1, PESERTA)
    await press(world, ADMIN_1, "Coba isi")
    assert "Nomor HP diawali 08" in await answer(world, ADMIN_1, "0812-3456")
    await answer(world, ADMIN_1, "081234567890")
    await press(world, ADMIN_1, "Lewati")  # no nickname: coalesce() falls back to the full name
    assert "tidak memenuhi syarat" in await answer(world, ADMIN_1, "Al")
    await answer(world, ADMIN_1, "Siti Aminah")
    await press(world, ADMIN_1, "Olahraga")
    await press(world, ADMIN_1, "Seni")
    await press(world, ADMIN_1, "Selesai")
    # Not UMKM: the Usaha section is skipped.
    # int(number('')) is NaN, which is stored as no value.
    assert last(world, ADMIN_1)["text"].endswith("\n\nSiti Aminah: 2 minat,  juta, usaha -")
    await press(world, ADMIN_1, "⬅️ Kembali")
    await press(world, ADMIN_1, "UMKM")
    await press(world, ADMIN_1, "Selesai")
    assert "Omzet per bulan" in last(world, ADMIN_1)["text"]
    await answer(world, ADMIN_1, "12,5")
    assert "Siti Aminah: 3 minat, 12 juta, usaha menengah" in last(world, ADMIN_1)["text"]
    await press(world, ADMIN_1, "Lanjut")
    assert "Halo Sit.!" in last(world, ADMIN_1)["text"]


async def test_a_pressed_question_becomes_the_next_question_in_place_and_a_tick_redraws_it(world):
    """As /laporan does: a button answer edits its message into the next question instead of sending another."""
    await approve_sumber(world)
    await upload_and_publish(world)
    await follow_notice(world, ANGGOTA)
    await answer(world, ANGGOTA, "Sutrisno")
    await answer(world, ANGGOTA, "45")
    question = last(world, ANGGOTA)
    assert "Kecamatan" in question["text"]
    count = len(world.fake.messages(ANGGOTA))
    await press(world, ANGGOTA, "Sumber")
    assert len(world.fake.messages(ANGGOTA)) == count
    edited = last(world, ANGGOTA)
    assert edited["message_id"] == question["message_id"] and "Desa" in edited["text"]
    assert "Kaliwadas" in buttons(edited)
    await press(world, ANGGOTA, "Kaliwadas")
    await press(world, ANGGOTA, "Tidak")
    await press(world, ANGGOTA, "PKH")
    ticked = last(world, ANGGOTA)
    assert ticked["message_id"] == question["message_id"] and "✅ PKH" in buttons(ticked)
    assert len(world.fake.messages(ANGGOTA)) == count
    assert world.fake.unanswered_callback_queries() == []
