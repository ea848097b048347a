"""The project's own XLSForm corpus: one small form per construct the engine reads, and large random mixed ones.

`corpus()` returns every form twice, as an .xlsx (openpyxl) and as an .xls (xlwt), deterministic for a seed.
Some forms carry no settings sheet (form_id from the file name, version from the upload time), and a few come
with attached CSV files (select_one_from_file, pulldata()), passed to read_xlsform as `attachments`.
`pyxform_refusal` is pyxform's own verdict, read as bot/xlsform/read.py reads a workbook.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.xlsform.read import _ALIASES
from tests.support.xlsforms import Row, c, q, workbook_xls, workbook_xlsx

SEED = 18
LARGE_FORMS = 20


@dataclass(frozen=True)
class Spec:
    """A form before it is written: its sheets as rows, None for a sheet left out."""

    name: str
    survey: list[Row]
    choices: list[Row] = field(default_factory=list)
    settings: Row | None = None
    external: list[Row] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class CorpusForm:
    file_name: str
    data: bytes
    attachments: dict[str, bytes] = field(default_factory=dict)


def _settings(name: str, with_settings: bool = True) -> Row | None:
    return (
        {"form_title": name.replace("_", " ").capitalize(), "form_id": name, "version": "1"} if with_settings else None
    )


def _sheets(spec: Spec) -> list[tuple[str, list[Row]]]:
    sheets = [("survey", spec.survey), ("choices", spec.choices), ("external_choices", spec.external)]
    sheets.append(("settings", [spec.settings] if spec.settings else []))
    return [(title, rows) for title, rows in sheets if rows]


def write_xlsx(spec: Spec) -> bytes:
    return workbook_xlsx(_sheets(spec))


def write_xls(spec: Spec) -> bytes:
    return workbook_xls(_sheets(spec))


# --- one form per construct ----------------------------------------------------------------------------------

YN = [c("yn", "ya", "Ya"), c("yn", "tidak", "Tidak")]
WARNA = [c("warna", "merah", "Merah"), c("warna", "hijau", "Hijau"), c("warna", "biru", "Biru")]
_SELECT_TYPES = ("select_one yn", "select1 yn", "select one yn", "select_multiple warna", "select all that apply warna",
                 "select_one yn or_other", "select_multiple warna or_other", "rank warna")  # fmt: skip
_RANGE_PARAMETERS = ("", "start=0 end=5 step=1", "start=1 end=100 step=1", "start=0 end=1 step=0.25")


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text).strip("_")


def _type_forms() -> Iterator[Spec]:
    """Every alias of every kind the engine knows, each in a form of its own after a text question."""
    for kind, aliases in _ALIASES.items():
        if kind.value.startswith("select"):
            continue
        for alias in aliases:
            name = f"tipe_{_slug(alias)}"
            row = q(alias, "isian", f"Isian {alias}")
            if kind.value == "calculate":
                row = q(alias, "isian", calculation="concat('Halo ', ${nama})")
            elif kind.value == "audit":
                row = q(alias, "audit")
            if alias == "range":
                for i, parameters in enumerate(_RANGE_PARAMETERS):
                    rows = [q("text", "nama", "Nama"), {**row, **({"parameters": parameters} if parameters else {})}]
                    yield Spec(f"{name}_{i}", rows, settings=_settings(f"{name}_{i}"))
                continue
            if alias == "rank":
                row = q("rank warna", "isian", "Urutkan warna")
            survey = [q("text", "nama", "Nama"), row]
            yield Spec(name, survey, WARNA if alias == "rank" else [], _settings(name, with_settings=len(name) % 3 > 0))
    for i, select in enumerate(_SELECT_TYPES):
        name = f"pilihan_{i}_{_slug(select)}"
        yield Spec(name, [q(select, "pilih", "Pilih"), q("text", "nama", "Nama")], YN + WARNA, _settings(name))


def _construct_forms() -> Iterator[Spec]:
    n = q("integer", "n", "Berapa?", required="yes", constraint=". >= 0 and . <= 4")
    yield Spec("grup", [q("begin_group", "g", "Grup"), q("text", "a", "A"), q("begin_group", "h", "Dalam"),
                        q("integer", "b", "B"), q("end_group", ""), q("end_group", "")], settings=None)  # fmt: skip
    yield Spec("grup_relevan", [q("select_one yn", "ada", "Ada?", required="yes"),
                                q("begin_group", "g", "Grup", relevant="${ada} = 'ya'"), q("text", "a", "A"),
                                q("end_group", ""), q("text", "z", "Z")], YN, _settings("grup_relevan"))  # fmt: skip
    yield Spec("grup_field_list", [q("begin_group", "g", "Grup", appearance="field-list"), q("text", "a", "A"),
                                   q("date", "d", "Tanggal"), q("end_group", "")], settings=None)  # fmt: skip
    yield Spec(
        "ulang_tanya",
        [
            q("begin_repeat", "r", "Anggota"),
            q("text", "nama", "Nama", required="yes"),
            q("integer", "umur", "Umur"),
            q("end_repeat", ""),
            q("calculate", "jumlah", calculation="count(${nama})"),
            q("note", "catat", "Anggota: ${jumlah}"),
        ],
        settings=_settings("ulang_tanya"),
    )
    yield Spec("ulang_tetap", [q("begin_repeat", "r", "Sesi", repeat_count="3"), q("text", "materi", "Materi"),
                               q("end_repeat", "")], settings=None)  # fmt: skip
    yield Spec("ulang_hitung", [n, q("begin_repeat", "r", "Anak", repeat_count="${n}"),
                                q("text", "nama_anak", "Nama anak ke-${n}"),
                                q("calculate", "ke", calculation="position(..)"), q("end_repeat", ""),
                                q("calculate", "semua", calculation="join(', ', ${nama_anak})")],
               settings=_settings("ulang_hitung"))  # fmt: skip
    yield Spec(
        "ulang_bersarang",
        [
            q("begin_repeat", "rt", "Rumah"),
            q("text", "alamat", "Alamat"),
            q("begin_repeat", "org", "Orang"),
            q("text", "nama", "Nama"),
            q("end_repeat", ""),
            q("end_repeat", ""),
        ],
        settings=_settings("ulang_bersarang"),
    )
    yield Spec(
        "ulang_relevan",
        [
            q("select_one yn", "punya", "Punya anak?", required="yes"),
            q("begin_repeat", "anak", "Anak", relevant="${punya} = 'ya'"),
            q("text", "nama", "Nama"),
            q("end_repeat", ""),
        ],
        YN,
        _settings("ulang_relevan"),
    )
    yield Spec("relevan", [q("select_one yn", "kerja", "Bekerja?", required="yes"),
                           q("text", "pekerjaan", "Pekerjaan", relevant="${kerja} = 'ya'", required="yes"),
                           q("text", "alasan", "Alasan", relevant="not(${kerja} = 'ya')")], YN, None)  # fmt: skip
    yield Spec("batasan", [q("integer", "umur", "Umur", constraint=". >= 17 and . <= 120",
                             **{"constraint_message": "17 sampai 120"}),
                           q("decimal", "berat", "Berat", constraint=". > 0.5"),
                           q("text", "nik", "NIK", constraint="regex(., '^[0-9]{16}$')"),
                           q("text", "kode", "Kode", constraint="string-length(.) <= 3"),
                           q("date", "lahir", "Lahir", constraint=". <= today()")],
               settings=_settings("batasan"))  # fmt: skip
    yield Spec("wajib", [q("text", "a", "A", required="yes", required_message="Wajib diisi"),
                         q("text", "b", "B", required="${a} = 'x'"), q("integer", "c", "C", required="true()")],
               settings=None)  # fmt: skip
    yield Spec("hitung", [q("integer", "a", "A", required="yes"), q("integer", "b", "B", required="yes"),
                          q("calculate", "jumlah", calculation="${a} + ${b}"),
                          q("calculate", "dua", calculation="${jumlah} * 2"),
                          q("integer", "cek", "Berapa ${jumlah}?", constraint=". = ${jumlah}"),
                          q("note", "n", "Dua kali: ${dua}")], settings=_settings("hitung"))  # fmt: skip
    yield Spec("bawaan", [q("text", "kota", "Kota", default="Cirebon"), q("integer", "jumlah", "Jumlah", default="3"),
                          q("date", "tgl", "Tanggal", default="today()"),
                          q("select_one yn", "setuju", "Setuju?", default="ya", required="yes"),
                          q("text", "salin", "Salin", default="concat('Kota ', ${kota})")],
               YN, _settings("bawaan"))  # fmt: skip
    wilayah = [c("kec", "sumber", "Sumber"), c("kec", "weru", "Weru"), c("desa", "kaliwadas", "Kaliwadas", k="sumber"),
               c("desa", "babakan", "Babakan", k="sumber"), c("desa", "tegal", "Tegalwangi", k="weru")]  # fmt: skip
    yield Spec("saring_pilihan", [q("select_one kec", "kec", "Kecamatan", required="yes"),
                                  q("select_one desa", "desa", "Desa", choice_filter="k = ${kec}", required="yes"),
                                  q("select_multiple desa", "lain", "Desa lain", choice_filter="k != ${kec}")],
               wilayah, _settings("saring_pilihan"))  # fmt: skip
    yield Spec(
        "hanya_baca",
        [
            q("text", "a", "A", default="tetap", read_only="yes"),
            q("text", "b", "B"),
            q("hidden", "kecamatan", "Kecamatan"),
            q("trigger", "t", "Tekan OK"),
        ],
        settings=None,
    )
    yield Spec(
        "meta",
        [
            q(t, f"m_{_slug(t)}")
            for t in (
                "start",
                "end",
                "today",
                "deviceid",
                "phonenumber",
                "username",
                "email",
                "subscriberid",
                "simserial",
            )
        ]
        + [q("audit", "audit")]
        + [q("start-geopoint", "titik_awal"), q("text", "nama", "Nama")],
        settings=_settings("meta"),
    )
    csv = b"name,label,kec\nkaliwadas,Kaliwadas,sumber\nbabakan,Babakan,sumber\n"
    yield Spec("dari_file", [q("select_one_from_file desa.csv", "desa", "Desa", required="yes"),
                             q("select_multiple_from_file desa.csv", "banyak", "Desa-desa")],
               settings=_settings("dari_file"), attachments={"desa.csv": csv})  # fmt: skip
    yield Spec("tarik_data", [q("select_one_from_file desa.csv", "desa", "Desa", required="yes"),
                              q("calculate", "kec", calculation="pulldata('desa', 'kec', 'name', ${desa})"),
                              q("note", "n", "Kecamatan: ${kec}")],
               settings=_settings("tarik_data"), attachments={"desa.csv": csv})  # fmt: skip
    yield Spec("eksternal", [q("select_one kec", "kec", "Kecamatan", required="yes"),
                             q("select_one_external desa", "desa", "Desa", choice_filter="k = ${kec}")],
               wilayah[:2], _settings("eksternal"),
               external=[{"list_name": "desa", "name": "kaliwadas", "label": "Kaliwadas", "k": "sumber"},
                         {"list_name": "desa", "name": "tegal", "label": "Tegalwangi", "k": "weru"}])  # fmt: skip
    yield Spec("dua_bahasa", [{"type": "text", "name": "nama", "label::English (en)": "Name",
                               "label::Indonesian (id)": "Nama", "hint::English (en)": "Full name"},
                              {"type": "select_one yn", "name": "ok", "label::English (en)": "OK?",
                               "label::Indonesian (id)": "Oke?"}],
               [{"list_name": "yn", "name": "ya", "label::English (en)": "Yes", "label::Indonesian (id)": "Ya"},
                {"list_name": "yn", "name": "tidak", "label::English (en)": "No", "label::Indonesian (id)": "Tidak"}],
               _settings("dua_bahasa"))  # fmt: skip
    yield Spec(
        "label_polos",
        [
            {"type": "text", "name": "nama", "label": "Nama"},
            {"type": "integer", "name": "umur", "label": "Umur", "hint": "Tahun"},
        ],
        settings=None,
    )


# Each function in a calculate (shown in a note) or a constraint, after questions it can read.
FUNCTIONS = {
    "selected": "selected(${w}, 'merah')", "count_selected": "count-selected(${w})", "today": "today()",
    "now": "now()", "regex": "regex(${t}, '^[a-z]+$')", "if": "if(${i} > 2, 'besar', 'kecil')",
    "coalesce": "coalesce(${t}, 'kosong')", "int": "int(${d})", "choice_name": "jr:choice-name(${s}, '${s}')",
    "abs": "abs(${i} - 10)", "pow": "pow(${i}, 2)", "substr": "substr(${t}, 0, 2)",
    "format_date": "format-date(${tgl}, '%Y-%m-%d')", "round": "round(${d}, 1)", "concat": "concat(${t}, '-', ${i})",
    "max": "max(${i}, 3)", "min": "min(${i}, 3)", "sqrt": "sqrt(${i})", "exp": "exp(1)", "exp10": "exp10(2)",
    "log": "log(${i})", "log10": "log10(100)", "sin": "sin(0)", "cos": "cos(0)", "tan": "tan(0)", "asin": "asin(0)",
    "acos": "acos(1)", "atan": "atan(1)", "atan2": "atan2(1, 1)", "pi": "pi()", "date": "date('2026-01-01')",
    "date_time": "date-time('2026-01-01T08:00:00')", "decimal_date_time": "decimal-date-time(${tgl})",
    "decimal_time": "decimal-time('08:00:00.000+07:00')", "once": "once(${t})", "uuid": "uuid()",
    "random": "random()", "selected_at": "selected-at(${w}, 0)", "ends_with": "ends-with(${t}, 'a')",
    "join": "join(' ', ${w})", "boolean_from_string": "boolean-from-string('true')",
    "count_non_empty": "count-non-empty(${t})", "checklist": "checklist(0, 2, ${t} != '', ${i} > 0)",
    "weighted_checklist": "weighted-checklist(0, 5, ${t} != '', 2, ${i} > 0, 3)", "digest": "digest(${t}, 'SHA-256')",
    "base64_decode": "base64-decode('YWJj')", "randomize": "count(randomize(${w}))",
    "distance": "distance(${trace})", "area": "area(${shape})", "string_length": "string-length(${t})",
    "contains": "contains(${t}, 'a')", "starts_with": "starts-with(${t}, 'b')", "not": "not(${i} > 100)",
    "sum": "sum(${i})", "count": "count(${i})", "number": "number('3.5')", "string": "string(${i})",
    "normalize_space": "normalize-space('  a  b ')", "translate": "translate(${t}, 'abc', 'ABC')",
    "boolean": "boolean(${t})", "floor": "floor(${d})", "ceiling": "ceiling(${d})",
    "true_false": "true() and not(false())",
    "position": "position(..)", "indexed_repeat": "indexed-repeat(${t}, ${g}, 1)", "mod_div": "${i} mod 3 + ${i} div 2",
    "date_arithmetic": "date(today() - 7)",
}  # fmt: skip
_INPUTS = [
    q("text", "t", "Teks", required="yes"),
    q("integer", "i", "Angka", required="yes"),
    q("decimal", "d", "Desimal", required="yes"),
    q("date", "tgl", "Tanggal", required="yes"),
    q("select_multiple warna", "w", "Warna", required="yes"),
    q("select_one yn", "s", "Ya?", required="yes"),
    q("geotrace", "trace", "Jalur", required="yes"),
    q("geoshape", "shape", "Bidang", required="yes"),
]


def _function_forms() -> Iterator[Spec]:
    for name, expression in FUNCTIONS.items():
        survey = list(_INPUTS)
        if name == "position":
            survey += [q("begin_repeat", "g", "Ulang"), q("calculate", "hasil", calculation=expression),
                       q("text", "isi", "Isi ke-${hasil}"), q("end_repeat", "")]  # fmt: skip
        elif name == "indexed_repeat":
            survey = [q("begin_repeat", "g", "Ulang"), q("text", "t", "Teks"), q("end_repeat", ""),
                      q("calculate", "hasil", calculation=expression)]  # fmt: skip
        else:
            survey += [q("calculate", "hasil", calculation=expression)]
        survey.append(q("note", "lihat", "Hasil: ${hasil}"))
        if name in ("regex", "contains", "string_length"):
            survey.append(q("text", "lagi", "Lagi", constraint=expression.replace("${t}", ".")))
        yield Spec(f"fungsi_{name}", survey, YN + WARNA, _settings(f"fungsi_{name}", with_settings=len(name) % 4 > 0))


# --- large random mixed forms -------------------------------------------------------------------------------

_PLAIN = [
    "text",
    "integer",
    "decimal",
    "date",
    "time",
    "dateTime",
    "geopoint",
    "image",
    "barcode",
    "file",
    "audio",
    "video",
    "note",
    "acknowledge",
    "geotrace",
    "geoshape",
    "range",
    "string",
    "int",
    "gps",
    "q picture",
]


class _Mixed:
    """One large random form: questions of every kind, groups, repeats, calculates, filters and conditions."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng, self.index = rng, index
        self.rows: list[Row] = []
        self.numbers: list[str] = []  # integer questions outside repeats, for calculates and repeat_count
        self.selects: list[str] = []  # select_one yn outside repeats, for relevant
        self.count = 0

    def name(self, stem: str) -> str:
        self.count += 1
        return f"{stem}_{self.count}"

    def question(self, in_repeat: bool) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            name = self.name("pilih")
            self.rows.append(q("select_one yn", name, f"Pilih {name}", required=rng.choice(["yes", ""])))
            if not in_repeat:
                self.selects.append(name)
            return
        if roll < 0.22:
            self.rows.append(q(rng.choice(["select_multiple warna", "rank warna"]), self.name("warna"), "Warna"))
            return
        if roll < 0.32:
            name = self.name("angka")
            constraint = rng.choice(["", ". >= 0", ". >= 0 and . <= 100", ". != 13"])
            self.rows.append(
                q("integer", name, f"Angka {name}", constraint=constraint, required=rng.choice(["yes", ""]))
            )
            if not in_repeat:
                self.numbers.append(name)
            return
        if roll < 0.38 and self.numbers:
            source = rng.choice(self.numbers)
            self.rows.append(q("calculate", self.name("hitung"), calculation=f"coalesce(${{{source}}}, 0) * 2 + 1"))
            return
        if roll < 0.42 and self.selects:
            source = rng.choice(self.selects)
            self.rows.append(q("text", self.name("kalau"), "Jika ya", relevant=f"${{{source}}} = 'ya'", required="yes"))
            return
        kind = rng.choice(_PLAIN)
        row = q(kind, self.name(_slug(kind)), f"Isian {kind}")
        if kind in ("text", "string") and rng.random() < 0.3:
            row["default"] = "awal"
        if kind == "range":
            row["parameters"] = rng.choice(["start=0 end=10 step=2", "start=1 end=5 step=1"])
        if kind not in ("note", "acknowledge") and rng.random() < 0.3:
            row["required"] = "yes"
        self.rows.append(row)

    def block(self, depth: int, in_repeat: bool) -> None:
        rng = self.rng
        for _ in range(rng.randint(3, 7)):
            roll = rng.random()
            if roll < 0.12 and depth < 2:
                name = self.name("grup")
                relevant = f"${{{rng.choice(self.selects)}}} != 'tidak'" if self.selects and rng.random() < 0.5 else ""
                self.rows.append(q("begin_group", name, f"Grup {name}", relevant=relevant))
                self.block(depth + 1, in_repeat)
                self.rows.append(q("end_group", ""))
            elif roll < 0.2 and depth < 2:
                name = self.name("ulang")
                count = ""
                if rng.random() < 0.5:
                    count = f"${{{rng.choice(self.numbers)}}} mod 3" if self.numbers and not in_repeat else "2"
                self.rows.append(q("begin_repeat", name, f"Ulang {name}", repeat_count=count))
                self.block(depth + 1, True)
                self.rows.append(q("end_repeat", ""))
            else:
                self.question(in_repeat)

    def spec(self) -> Spec:
        self.rows.append(q("start", "mulai"))
        self.rows.append(q("text", "nama", "Nama petugas", required="yes"))
        for _ in range(self.rng.randint(3, 5)):
            self.block(0, False)
        self.rows.append(q("end", "selesai"))
        name = f"campuran_{self.index:02d}"
        return Spec(name, self.rows, YN + WARNA, _settings(name, with_settings=self.index % 4 != 0))


def specs(seed: int = SEED, large: int = LARGE_FORMS) -> list[Spec]:
    made = [*_type_forms(), *_construct_forms(), *_function_forms()]
    made += [_Mixed(random.Random(seed * 1000 + i), i).spec() for i in range(large)]
    return made


def corpus(seed: int = SEED, large: int = LARGE_FORMS) -> list[CorpusForm]:
    """Every spec as .xlsx and as .xls."""
    forms = []
    for spec in specs(seed, large):
        forms.append(CorpusForm(f"{spec.name}.xlsx", write_xlsx(spec), dict(spec.attachments)))
        forms.append(CorpusForm(f"{spec.name}.xls", write_xls(spec), dict(spec.attachments)))
    return forms


def pyxform_refusal(data: bytes, file_name: str) -> str | None:
    """None when pyxform converts the workbook to XForm XML (without ODK Validate), else its message."""
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    from bot.xlsform.read import form_id_from, workbook_suffix

    try:
        workbook = get_xlsform(data, file_type=workbook_suffix(data) or ".xlsx")
        parsed = workbook_to_json(workbook, fallback_form_name=form_id_from(file_name), warnings=[])
        create_survey_element_from_dict(parsed).to_xml(validate=False, warnings=[])
    except Exception as exc:  # pyxform's verdict, whatever it raises
        return f"{type(exc).__name__}: {exc}"
    return None
