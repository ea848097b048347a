"""Media in an uploaded XLSForm's labels (issue 18): a question's media::image (or big-image), media::audio and
media::video are sent with it through the fake Telegram, the question as the caption when it fits; a file is
uploaded once and sent by its Telegram id after that; a missing file is asked for at upload; media on the choices
sheet is named at upload as not shown."""

from __future__ import annotations

from bot.xlsform.read import read_xlsform
from tests.conftest import ADMIN_1, ANGGOTA, KETUA, World
from tests.support.fake_telegram import RecordedRequest
from tests.support.xlsforms import c, q, xlsform
from tests.test_dashboard import snapshot_jpeg
from tests.test_forms import buttons, last, press, settled
from tests.test_registration import approve_sumber
from tests.test_xlsform_attachments import send_document, zipped
from tests.test_xlsform_bot import follow_notice

PETA = snapshot_jpeg((30, 120, 60), "Peta Sumber")
RUMAH = snapshot_jpeg((160, 90, 40), "Rumah layak huni")
SUARA = b"ID3\x03\x00\x00\x00\x00\x00\x00fake mp3"
LONG = "Bacalah petunjuk berikut dengan saksama sebelum menjawab. " * 20  # past a caption's 1024 characters

SURVEY = [
    q("text", "lokasi", "Di titik mana kegiatan berlangsung?", **{"media::image": "peta.jpg"}),
    q("select_multiple kondisi", "kondisi", "Kondisi rumah seperti di gambar", **{"media::image": "rumah.jpg",
                                                                            "media::big-image": "rumah_besar.jpg"}),
    q("note", "petunjuk", LONG, **{"media::image": "peta.jpg"}),
    q("integer", "jumlah", "Dengarkan, lalu tulis jumlah orang yang disebut", **{"media::audio": "suara.mp3"}),
]  # fmt: skip
CHOICES = [
    c("kondisi", "atap", "Atap bocor", **{"media::image": "atap.jpg"}),
    c("kondisi", "dinding", "Dinding retak"),
]
SETTINGS = {"form_title": "Cek rumah", "form_id": "cek_rumah", "version": "1"}
WORKBOOK = xlsform(SURVEY, CHOICES, SETTINGS)
FILES = {"peta.jpg": PETA, "rumah_besar.jpg": RUMAH, "suara.mp3": SUARA}


def test_media_columns_are_read_the_big_image_preferred_and_choice_media_named():
    form = read_xlsform(WORKBOOK, attachments={**FILES, "rumah.jpg": PETA})
    assert (form.question("lokasi").image, form.question("kondisi").image) == ("peta.jpg", "rumah_besar.jpg")
    assert form.question("jumlah").audio == "suara.mp3" and form.missing_files == ()
    [note] = form.ignored
    assert note.startswith("Lembar choices, baris 2, kolom media::image") and "('atap')" in note


def test_media_on_a_group_is_named_as_not_shown():
    survey = [q("begin_group", "rumah", "Rumah", **{"media::image": "peta.jpg"}), q("text", "alamat", "Alamat"),
              q("end_group", "")]  # fmt: skip
    form = read_xlsform(xlsform(survey, [], SETTINGS), attachments={"peta.jpg": PETA})
    assert form.ignored == ("Lembar survey, baris 2: gambar atau suara pada grup 'rumah' tidak ditampilkan lewat "
                            "chat; pertanyaan di dalamnya tetap ditanyakan.",)  # fmt: skip


def test_a_media_file_not_attached_is_a_missing_file():
    form = read_xlsform(WORKBOOK, attachments={"peta.jpg": PETA})
    assert form.missing_files == ("rumah_besar.jpg", "suara.mp3")


def sent(world: World, method: str, chat: int) -> list[RecordedRequest]:
    return [r for r in world.fake.calls(method) if r.params.get("chat_id") == chat and r.ok]


async def publish_with_files(world: World) -> None:
    await approve_sumber(world)
    reply = await send_document(world, ADMIN_1, zipped({"cek_rumah.xlsx": WORKBOOK, "peta.jpg": PETA}), "cek.zip")
    assert "rumah_besar.jpg" in reply["text"] and "suara.mp3" in reply["text"]  # asked for before publishing
    assert "kolom media::image" in reply["text"]  # the choice's picture is named as not shown
    await send_document(world, ADMIN_1, RUMAH, "rumah_besar.jpg")
    reply = await send_document(world, ADMIN_1, SUARA, "suara.mp3")
    assert "lengkap" in reply["text"]
    await press(world, ADMIN_1, "Terbitkan")
    await press(world, ADMIN_1, "Sekali (batas 7 hari)")
    await press(world, ADMIN_1, "Semua kecamatan aktif")


async def test_questions_come_with_their_picture_and_sound_and_files_are_uploaded_once(world):
    await publish_with_files(world)
    await follow_notice(world, ANGGOTA, "Cek rumah")
    first = last(world, ANGGOTA)
    assert "Di titik mana kegiatan berlangsung?" in first["caption"] and "photo" in first
    assert world.fake.file_data(first["photo"][-1]["file_id"]) == PETA

    await world.say(ANGGOTA, ANGGOTA, "Balai desa")
    kondisi = last(world, ANGGOTA)
    assert "Kondisi rumah seperti di gambar" in kondisi["caption"]
    assert world.fake.file_data(kondisi["photo"][-1]["file_id"]) == RUMAH  # the big-image
    photos = len(sent(world, "sendPhoto", ANGGOTA))
    await press(world, ANGGOTA, "Atap bocor")  # a tick changes the caption's buttons, not the picture
    assert len(sent(world, "sendPhoto", ANGGOTA)) == photos
    assert "✅ Atap bocor" in buttons(last(world, ANGGOTA))
    await press(world, ANGGOTA, "Selesai")
    [shown] = [m for m in world.fake.messages(ANGGOTA) if m["message_id"] == kondisi["message_id"]]
    assert buttons(shown) == {}  # answered: the picture stays, its buttons are gone

    # Too long for a caption: the picture (sent by its id now, not uploaded again), then the question.
    *_, picture, note = world.fake.messages(ANGGOTA)
    assert "photo" in picture and "caption" not in picture and note["text"].startswith("Cek rumah")
    assert LONG.strip()[:40] in note["text"] and "Lanjut" in buttons(note)
    assert [type(r.params["photo"]) for r in sent(world, "sendPhoto", ANGGOTA)][-1] is str
    await press(world, ANGGOTA, "Lanjut")
    audio = last(world, ANGGOTA)
    assert "audio" in audio and "Dengarkan, lalu tulis jumlah" in audio["caption"]
    await world.say(ANGGOTA, ANGGOTA, "4")
    await press(world, ANGGOTA, "Kirim")
    assert "Cek rumah #1 sudah terkirim" in last(world, ANGGOTA)["text"]

    # The next person gets every file by the id Telegram gave it: nothing is uploaded again.
    uploads = [r for r in world.fake.requests if r.method in ("sendPhoto", "sendAudio") and r.ok
               and not isinstance(r.params.get("photo", r.params.get("audio")), str)]  # fmt: skip
    await settled(world)
    await follow_notice(world, KETUA, "Cek rumah")
    assert "photo" in last(world, KETUA)
    await world.say(KETUA, KETUA, "Pos ronda")
    again = [r for r in world.fake.requests if r.method in ("sendPhoto", "sendAudio") and r.ok
             and not isinstance(r.params.get("photo", r.params.get("audio")), str)]  # fmt: skip
    assert len(uploads) == 3 and again == uploads
