"""XLSForm features through the real bot and the fake server, each form filled by a member and then read back.

With test_xlsform_bot.py's forms (Pendataan keluarga, Kegiatan lapangan, Data peserta, Foto kegiatan) these
cover every type, column and function issue 11 lists: here the label in another language before Indonesian,
default_language, arithmetic (+ - * div mod) and comparisons, select_multiple with or_other, `end` metadata, a
"Tambah lagi?" repeat whose instances each have their own cascade, default and a required question their own
answer hides, and what a submission stores for dates, times, points, photos and repeat_count instances.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from storage import xlsforms
from storage.xlsforms import XSubmission
from tests.conftest import ADMIN_1, ANGGOTA, SUMBER_GROUP, World
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, press, settled
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import KEGIATAN, answer, send_xlsx


async def publish(world: World, data: bytes) -> None:
    await send_xlsx(world, ADMIN_1, data)
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")


async def open_notice(world: World, user: int, title: str) -> None:
    """The member follows the group's publication notice of that form into the private chat."""
    await settled(world)
    notice = next(m for m in reversed(world.fake.messages(SUMBER_GROUP)) if title in m.get("text", ""))
    payload = parse_qs(urlparse(next(iter(buttons(notice).values()))).query)["start"][0]
    await world.bot.handled(world.fake.user_starts_bot(user, payload))


async def submitted(world: World) -> XSubmission:
    await press(world, ANGGOTA, "Kirim")
    assert "sudah terkirim" in last(world, ANGGOTA)["text"]
    [form] = await xlsforms.all_forms(world.bot.db)
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    return submission


def _row(type_: str, name: str, english: str = "", indonesian: str = "", **columns: str) -> dict[str, str]:
    """A survey row whose English label column comes before the Indonesian one, as an author might lay it out."""
    row = {"type": type_, "name": name}
    if english:
        row["label::English (en)"] = english
    if indonesian:
        row["label::Indonesian (id)"] = indonesian
    row.update(columns)
    return row


KUNJUNGAN = xlsform(
    [
        _row("start", "mulai"),
        _row("end", "selesai"),
        _row("integer", "dewasa", "Number of adults", "Jumlah orang dewasa", required="yes",
             constraint=". >= 1", **{"hint::English (en)": "Living in the house",
                                     "hint::Indonesian (id)": "Yang tinggal serumah",
                                     "constraint_message::English (en)": "At least one",
                                     "constraint_message::Indonesian (id)": "Paling sedikit satu orang"}),
        _row("integer", "anak", "Number of children", "Jumlah anak", constraint=". >= 0 and . <= 20"),
        _row("calculate", "total", calculation="${dewasa} + ${anak}"),
        _row("calculate", "selisih", calculation="${dewasa} - ${anak}"),
        _row("calculate", "biaya", calculation="${total} * 2500"),
        _row("calculate", "per_dewasa", calculation="${anak} div ${dewasa}"),
        _row("calculate", "sisa", calculation="${total} mod 4"),
        _row("calculate", "besar", calculation="if(${total} >= 6 and ${anak} != 0, 'ya', 'tidak')"),
        _row("select_multiple kebutuhan or_other", "kebutuhan", "Needs", "Kebutuhan keluarga"),
        _row("text", "telepon", "Phone", "Nomor telepon", required="${besar} = 'ya'",
             **{"required_message::Indonesian (id)": "Keluarga besar wajib mencantumkan nomor telepon"}),
        _row("text", "keluarga_besar", "Large family notes", "Catatan keluarga besar",
             relevant="${besar} = 'ya' and ${total} > 5"),
        _row("note", "hitung", "Total", "Total ${total} orang, selisih ${selisih}, biaya ${biaya}, "
             "${per_dewasa} anak per dewasa, sisa ${sisa}"),
    ],
    [
        {"list_name": "kebutuhan", "name": "air", "label::English (en)": "Clean water",
         "label::Indonesian (id)": "Air bersih"},
        {"list_name": "kebutuhan", "name": "sembako", "label::English (en)": "Staples",
         "label::Indonesian (id)": "Sembako"},
    ],
    {"form_title": "Kunjungan rumah", "form_id": "kunjungan", "version": "2026-12",
     "default_language": "English (en)"},
)  # fmt: skip


async def test_indonesian_labels_arithmetic_or_other_required_if_and_end_in_a_member_submission(world):
    await approve_sumber(world)
    await publish(world, KUNJUNGAN)
    assert "(versi 2026-12)" in last(world, ADMIN_1)["text"]
    await open_notice(world, ANGGOTA, "Kunjungan rumah")
    first = last(world, ANGGOTA)["text"]
    assert "Jumlah orang dewasa" in first and "Yang tinggal serumah" in first and "adults" not in first
    assert "Paling sedikit satu orang" in await answer(world, ANGGOTA, "0")
    assert "Jumlah anak" in await answer(world, ANGGOTA, "2")
    assert "Kebutuhan keluarga" in await answer(world, ANGGOTA, "0")
    assert {"Air bersih", "Sembako", "Lainnya"} <= set(buttons(last(world, ANGGOTA)))
    await press(world, ANGGOTA, "Air bersih")
    await press(world, ANGGOTA, "Lainnya")
    await press(world, ANGGOTA, "Selesai")
    assert "Sebutkan lainnya" in last(world, ANGGOTA)["text"]
    assert "Nomor telepon" in await answer(world, ANGGOTA, "Kursi roda")
    await press(world, ANGGOTA, "Lewati")  # not required while the family is small
    note = last(world, ANGGOTA)["text"]
    assert "Total 2 orang, selisih 2, biaya 5000, 0 anak per dewasa, sisa 2" in note
    await press(world, ANGGOTA, "Lanjut")
    # Four children after all: the family is large, its notes question appears and the phone becomes required.
    await press(world, ANGGOTA, "Ubah")
    await press(world, ANGGOTA, "Jumlah anak")
    assert "Catatan keluarga besar" in await answer(world, ANGGOTA, "4")
    await answer(world, ANGGOTA, "Tiga generasi serumah")
    summary = last(world, ANGGOTA)["text"]
    assert "Kebutuhan keluarga: Air bersih, Lainnya" in summary and "Sebutkan lainnya: Kursi roda" in summary
    assert "Catatan keluarga besar: Tiga generasi serumah" in summary and "Needs" not in summary
    await press(world, ANGGOTA, "Kirim")
    assert "Keluarga besar wajib mencantumkan nomor telepon" in world.fake.messages(ANGGOTA)[-2]["text"]
    assert "Nomor telepon" in last(world, ANGGOTA)["text"] and "Lewati" not in buttons(last(world, ANGGOTA))
    await answer(world, ANGGOTA, "081234567890")
    submission = await submitted(world)
    answers = submission.data["answers"]
    assert (answers["dewasa"], answers["anak"], answers["total"], answers["besar"]) == ("2", "4", "6", "ya")
    assert (answers["selisih"], answers["biaya"], answers["per_dewasa"], answers["sisa"]) == ("-2", "15000", "2", "2")
    assert (answers["kebutuhan"], answers["kebutuhan_other"]) == ("air other", "Kursi roda")
    assert (answers["telepon"], answers["keluarga_besar"]) == ("081234567890", "Tiga generasi serumah")
    assert answers["mulai"] <= answers["selesai"] and answers["selesai"].startswith("2026-11-23T")
    [form] = await xlsforms.all_forms(world.bot.db)
    [version] = await xlsforms.versions(world.bot.db, form.id)
    assert version.version == "2026-12" and submission.version_id == version.id


KELUARGA = xlsform(
    [
        q("begin_repeat", "anggota", "Anggota keluarga"),
        q("text", "nama", "Nama anggota", required="yes"),
        q("integer", "umur", "Umur ${nama}", required="yes"),
        q("text", "sekolah", "Nama sekolah ${nama}", required="yes", relevant="${umur} < 18"),
        q("select_one wilayah", "kec", "Kecamatan domisili"),
        q("select_one desa", "desa", "Desa domisili", choice_filter="kec = ${kec}"),
        q("text", "status", "Status", default="tinggal serumah"),
        q("end_repeat", ""),
        q("calculate", "jumlah", calculation="count(${nama})"),
        q("calculate", "umur_total", calculation="sum(${umur})"),
        q("note", "penutup", "${jumlah} anggota, umur total ${umur_total}"),
    ],
    [
        c("wilayah", "sumber", "Sumber"),
        c("wilayah", "weru", "Weru"),
        c("desa", "kaliwadas", "Kaliwadas", kec="sumber"),
        c("desa", "babakan", "Babakan", kec="sumber"),
        c("desa", "tegalwangi", "Tegalwangi", kec="weru"),
        c("desa", "megu", "Megu Gede", kec="weru"),
    ],
    {"form_title": "Anggota keluarga", "form_id": "keluarga", "version": "1"},
)  # fmt: skip


async def test_a_repeat_with_its_own_cascade_default_and_hidden_required_question_per_instance(world):
    await approve_sumber(world)
    await publish(world, KELUARGA)
    await open_notice(world, ANGGOTA, "Anggota keluarga")
    assert "Lewati" not in buttons(last(world, ANGGOTA))
    assert "Umur Budi" in await answer(world, ANGGOTA, "Budi")
    assert "Nama sekolah Budi" in await answer(world, ANGGOTA, "15")  # under 18: the school is asked
    await answer(world, ANGGOTA, "SMPN 1 Sumber")
    await press(world, ANGGOTA, "Sumber")
    assert set(buttons(last(world, ANGGOTA))) >= {"Kaliwadas", "Babakan"}
    assert "Tegalwangi" not in buttons(last(world, ANGGOTA))
    await press(world, ANGGOTA, "Babakan")
    assert "Jawaban sekarang: tinggal serumah" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Tetap")
    await press(world, ANGGOTA, "Ya, tambah")
    await answer(world, ANGGOTA, "Sari")
    assert "Kecamatan domisili" in await answer(world, ANGGOTA, "40")  # an adult: no school question
    await press(world, ANGGOTA, "Weru")
    assert set(buttons(last(world, ANGGOTA))) >= {"Tegalwangi", "Megu Gede"}
    assert "Kaliwadas" not in buttons(last(world, ANGGOTA))
    await answer(world, ANGGOTA, "megu gde")
    assert "Jawaban sekarang: tinggal serumah" in last(world, ANGGOTA)["text"]
    await answer(world, ANGGOTA, "merantau")
    await press(world, ANGGOTA, "Tidak")
    assert "2 anggota, umur total 55" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjut")
    summary = last(world, ANGGOTA)["text"]
    for expected in ("Anggota keluarga 1 › Nama sekolah Budi: SMPN 1 Sumber", "Anggota keluarga 1 › Desa domisili: "
                     "Babakan", "Anggota keluarga 2 › Desa domisili: Megu Gede",
                     "Anggota keluarga 2 › Status: merantau"):  # fmt: skip
        assert expected in summary
    assert "Anggota keluarga 2 › Nama sekolah" not in summary
    answers = (await submitted(world)).data
    assert answers["repeats"] == {"anggota": 2}
    answers = answers["answers"]
    assert answers["anggota[1]/desa"] == "babakan" and answers["anggota[2]/desa"] == "megu"
    assert answers["anggota[1]/status"] == "tinggal serumah" and answers["anggota[2]/status"] == "merantau"
    assert answers["anggota[1]/sekolah"] == "SMPN 1 Sumber" and "anggota[2]/sekolah" not in answers
    assert (answers["jumlah"], answers["umur_total"]) == ("2", "55")


async def test_a_member_submission_stores_dates_times_points_photos_and_counted_instances_as_odk_does(world):
    await approve_sumber(world)
    await publish(world, KEGIATAN)
    await open_notice(world, ANGGOTA, "Kegiatan lapangan")
    await answer(world, ANGGOTA, "kemarin")
    await answer(world, ANGGOTA, "14:05")
    await answer(world, ANGGOTA, "2,25")
    await press(world, ANGGOTA, "Bakti sosial")
    await answer(world, ANGGOTA, "2")
    await answer(world, ANGGOTA, "Pembukaan")
    await answer(world, ANGGOTA, "Praktik")
    photo = world.fake.new_file(b"foto-kegiatan", "photo")
    await world.bot.handled(world.fake.send_message(ANGGOTA, ANGGOTA, photo=photo))
    assert "Mohon kirim lokasi" in await answer(world, ANGGOTA, "di balai desa")
    await answer(world, ANGGOTA, "-6.7321, 108.5512")
    await press(world, ANGGOTA, "OK")
    assert "Jenis: Bakti sosial, mulai 14.05" in last(world, ANGGOTA)["text"]
    await press(world, ANGGOTA, "Lanjut")
    submission = await submitted(world)
    answers = submission.data["answers"]
    assert answers["tanggal"] == "2026-11-22"
    assert answers["jam"] == "14:05:00.000+07:00"
    assert (answers["luas"], answers["jenis"], answers["jenis_nama"]) == ("2.25", "bakti", "Bakti sosial")
    assert answers["lokasi"] == "-6.7321 108.5512 0 0"
    assert answers["foto"] == photo[-1]["file_id"]
    assert answers["setuju"] == "OK"
    assert submission.data["repeats"] == {"sesi_ke": 2}
    assert (answers["sesi_ke[1]/nomor"], answers["sesi_ke[2]/materi"]) == ("1", "Praktik")
