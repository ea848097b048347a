"""Issue 18, appearances: how a question is asked in a chat. Button layouts (minimal, quick, horizontal, likert,
label and list-nolabel), multiline and numbers on text, field-list groups of choices asked as one message; the
other appearances accepted and ignored."""

from __future__ import annotations

from bot.xlsform.read import read_xlsform
from storage import xlsforms
from tests.conftest import ADMIN_1, ANGGOTA, World
from tests.support.xlsforms import c, q, xlsform
from tests.test_forms import buttons, last, press
from tests.test_registration import approve_sumber
from tests.test_xlsform_bot import answer, follow_notice, send_xlsx

YES = {"required": "yes"}
LOOKS = xlsform(
    [
        q("select_one kondisi", "kondisi", "Kondisi rumah", **YES),
        q("select_one skala", "nilai", "Nilai pelayanan", appearance="likert", **YES),
        q("select_one warna", "warna", "Warna cat", appearance="minimal", **YES),
        q("select_one bulan", "bulan", "Bulan panen", appearance="horizontal", **YES),
        q("select_one yt", "setuju", "Setuju?", appearance="quick", **YES),
        q("select_multiple warna", "warna_lain", "Warna lain", appearance="horizontal-compact", **YES),
        q("integer", "jumlah", "Jumlah anggota", appearance="thousands-sep", **YES),
        q("text", "cerita", "Ceritakan kegiatan", appearance="multiline", **YES),
        q("text", "telepon", "Nomor telepon", appearance="numbers", **YES),
        q("begin_group", "puas", "Kepuasan", appearance="field-list"),
        q("select_one skala", "judul", "Penilaian", appearance="label"),
        q("select_one skala", "air", "Air bersih", appearance="list-nolabel", **YES),
        q(
            "select_one skala",
            "jalan",
            "Jalan desa",
            appearance="list-nolabel",
            constraint=". != '1'",
            constraint_message="Nilai 1 untuk jalan desa: mohon dicek lagi.",
        ),
        q("select_one yt", "lampu", "Ada lampu jalan?", **YES),
        q("end_group", ""),
        q("begin_group", "bio", "Biodata", appearance="field-list"),
        q("select_one yt", "kk", "Kepala keluarga?", **YES),
        q("text", "nama", "Nama", **YES),
        q("end_group", ""),
    ],
    [
        c("kondisi", "layak", "Layak huni, dinding tembok dan lantai keramik"),
        c("kondisi", "sedang", "Sebagian perlu perbaikan"),
        c("kondisi", "rusak", "Rusak berat, perlu bantuan bedah rumah"),
        *(c("skala", str(n), label) for n, label in enumerate(["Buruk", "Kurang", "Cukup", "Baik", "Sangat baik"], 1)),
        *(c("warna", w.lower(), w) for w in ["Merah", "Biru", "Hijau", "Kuning", "Putih", "Hitam"]),
        *(c("bulan", b.lower(), b) for b in ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul"]),
        c("yt", "ya", "Ya"),
        c("yt", "tidak", "Tidak"),
    ],
    {"form_title": "Survei tampilan", "form_id": "survei_tampilan", "version": "1"},
)


def rows(message: dict) -> list[list[str]]:
    """The inline keyboard as the person sees it: the buttons' labels, row by row."""
    return [[b["text"] for b in row] for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])]


def on_screen(world: World) -> dict:
    """The newest message with buttons: the question on screen, under any refusal sent after it."""
    return next(m for m in reversed(world.fake.messages(ANGGOTA)) if rows(m))


async def upload_looks(world: World) -> dict:
    await approve_sumber(world)
    reply = await send_xlsx(world, ADMIN_1, LOOKS, "survei_tampilan.xlsx")
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")
    return reply


async def test_appearances_change_the_buttons_and_the_answers_are_stored(world):
    uploaded = await upload_looks(world)
    assert "Survei tampilan" in uploaded["text"] and "dilewati" not in uploaded["text"]
    await follow_notice(world, ANGGOTA, "Survei tampilan")

    # no appearance: one long label per row; a tap answers and moves on
    asked = last(world, ANGGOTA)
    assert "Kondisi rumah" in asked["text"] and [len(r) for r in rows(asked)] == [1, 1, 1]
    await press(world, ANGGOTA, "Sebagian perlu perbaikan")

    # likert: the whole scale in one row (then Kembali)
    asked = last(world, ANGGOTA)
    assert "Nilai pelayanan" in asked["text"]
    assert rows(asked) == [["Buruk", "Kurang", "Cukup", "Baik", "Sangat baik"], ["⬅️ Kembali"]]
    await press(world, ANGGOTA, "Baik")

    # minimal: compact, several short labels per row
    asked = last(world, ANGGOTA)
    assert "Warna cat" in asked["text"] and [len(r) for r in rows(asked)] == [4, 2, 1]
    await press(world, ANGGOTA, "Hijau")

    # horizontal with seven choices: two rows
    asked = last(world, ANGGOTA)
    assert "Bulan panen" in asked["text"] and [len(r) for r in rows(asked)] == [4, 3, 1]
    await press(world, ANGGOTA, "Mei")

    # quick: the default layout; the tap moves on with no confirm
    assert rows(last(world, ANGGOTA))[:2] == [["Ya"], ["Tidak"]]
    await press(world, ANGGOTA, "Ya")

    # horizontal-compact on select_multiple: ticks side by side, Selesai under them
    asked = last(world, ANGGOTA)
    assert "Warna lain" in asked["text"] and [len(r) for r in rows(asked)] == [3, 3, 1, 1]
    await press(world, ANGGOTA, "Biru")
    await press(world, ANGGOTA, "Putih")
    assert rows(last(world, ANGGOTA))[0] == ["Merah", "✅ Biru", "Hijau"]
    await press(world, ANGGOTA, "Selesai")

    # an appearance the chat does not draw (thousands-sep) is ignored
    assert "Jumlah anggota" in last(world, ANGGOTA)["text"]
    assert "Ceritakan kegiatan" in await answer(world, ANGGOTA, "12")

    # multiline: the hint welcomes a long answer; its lines are kept as typed
    assert "Jawaban panjang dipersilakan" in last(world, ANGGOTA)["text"]
    asked_phone = await answer(world, ANGGOTA, "Kerja bakti di balai desa.\nLalu rapat pengurus.")

    # numbers: letters refused in Indonesian, digits with + - . , taken
    assert "Nomor telepon" in asked_phone and "Tulis angka saja" in asked_phone
    refused = await answer(world, ANGGOTA, "0812 tiga")
    assert "Mohon tulis angka saja" in refused
    assert "Mohon tulis angka saja" in await answer(world, ANGGOTA, "08123abc")
    grouped = await answer(world, ANGGOTA, "+62-812-3456")

    # field-list of choices: ONE message; the label question a numbered header, one row of buttons per question
    assert "Kepuasan" in grouped and "Penilaian" in grouped and "1 = Buruk · 2 = Kurang" in grouped
    assert "1. Air bersih" in grouped and "2. Jalan desa" in grouped and "3. Ada lampu jalan?" in grouped
    asked = last(world, ANGGOTA)
    assert rows(asked) == [
        ["1: 1", "1: 2", "1: 3", "1: 4", "1: 5"],
        ["2: 1", "2: 2", "2: 3", "2: 4", "2: 5"],
        ["3: Ya", "3: Tidak"],
        ["⬅️ Kembali"],
    ]
    for data in buttons(asked).values():
        assert len(data.encode()) <= 64
    messages_before = len(world.fake.messages(ANGGOTA))
    await press(world, ANGGOTA, "1: 4")
    asked = last(world, ANGGOTA)
    assert len(world.fake.messages(ANGGOTA)) == messages_before  # ticked in place, the same message
    assert "✅ Baik" in asked["text"] and "✅ 1: 4" in buttons(asked) and "Lanjut" not in buttons(asked)
    await press(world, ANGGOTA, "1: 2")  # another choice replaces the first
    await press(world, ANGGOTA, "3: Tidak")
    asked = last(world, ANGGOTA)
    assert "✅ 1: 2" in buttons(asked) and "✅ 1: 4" not in buttons(asked) and "Lanjut" in buttons(asked)
    await press(world, ANGGOTA, "Lanjut")  # Jalan desa may stay empty

    # field-list with a text question in it: asked one question at a time, as any group
    asked = last(world, ANGGOTA)
    assert "Kepala keluarga?" in asked["text"] and "Nama" not in asked["text"].split("Kepala keluarga?")[1]
    await press(world, ANGGOTA, "Ya")
    assert "Nama" in last(world, ANGGOTA)["text"]
    summary = await answer(world, ANGGOTA, "Siti")
    assert "Air bersih: Kurang" in summary and "Ada lampu jalan?: Tidak" in summary and "Penilaian" not in summary
    await press(world, ANGGOTA, "Kirim")
    assert "#1 sudah terkirim" in last(world, ANGGOTA)["text"]

    [form] = [f for f in await xlsforms.all_forms(world.bot.db) if f.form_id == "survei_tampilan"]
    [submission] = await xlsforms.submissions(world.bot.db, form.id)
    answers = submission.data["answers"]
    assert (answers["kondisi"], answers["nilai"], answers["warna"], answers["bulan"]) == ("sedang", "4", "hijau", "mei")
    assert (answers["setuju"], answers["warna_lain"], answers["jumlah"]) == ("ya", "biru putih", "12")
    assert answers["cerita"] == "Kerja bakti di balai desa.\nLalu rapat pengurus."
    assert answers["telepon"] == "+62-812-3456"
    assert (answers["air"], answers["lampu"], answers["kk"], answers["nama"]) == ("2", "tidak", "ya", "Siti")
    assert "jalan" not in answers and "judul" not in answers


async def test_a_field_list_group_is_asked_again_as_one_message_after_kembali(world):
    await upload_looks(world)
    await follow_notice(world, ANGGOTA, "Survei tampilan")
    for label in ("Layak huni, dinding tembok dan lantai keramik", "Cukup", "Merah", "Jan", "Tidak", "Hitam"):
        await press(world, ANGGOTA, label)
    await press(world, ANGGOTA, "Selesai")
    await answer(world, ANGGOTA, "3")
    await answer(world, ANGGOTA, "Rapat")
    await answer(world, ANGGOTA, "0812")
    assert "Mohon pilih dengan tombol" in await answer(world, ANGGOTA, "Baik")  # which question would it answer?
    await press(world, ANGGOTA, "1: 5")
    await press(world, ANGGOTA, "2: 1")
    await press(world, ANGGOTA, "3: Ya")
    # a constraint refused at Lanjut: said over the message, which keeps its buttons
    group = on_screen(world)
    sent = len(world.fake.messages(ANGGOTA))
    update = await world.press(ANGGOTA, group, buttons(group)["Lanjut"])
    alert = world.fake.callback_answer(update["callback_query"]["id"])
    assert alert["show_alert"] and "Nilai 1 untuk jalan desa" in alert["text"]
    assert len(world.fake.messages(ANGGOTA)) == sent and "✅ 2: 1" in buttons(on_screen(world))
    await press(world, ANGGOTA, "✅ 2: 1")  # tapped again: unticked, Jalan desa may stay empty
    await press(world, ANGGOTA, "Lanjut")
    assert "Kepala keluarga?" in on_screen(world)["text"]
    await press(world, ANGGOTA, "⬅️ Kembali")
    asked = on_screen(world)
    assert "1. Air bersih" in asked["text"] and "✅ Sangat baik" in asked["text"]
    assert "✅ 1: 5" in buttons(asked) and "Lanjut" in buttons(asked)


def test_field_list_and_other_appearances_are_read_and_kept():
    form = read_xlsform(LOOKS)
    [puas, bio] = form.sections()
    assert (puas.appearance, bio.appearance) == ("field-list", "field-list")
    assert form.question("nilai").appearance == "likert"
