"""Every kabupaten/kota of Indonesia in the package (bot/data/wilayah/), one region loaded at a time (issue 19)."""

from __future__ import annotations

import gzip
import json
from importlib.resources import files

import pytest

from bot import wilayah
from bot.wilayah import UnknownRegion, find_regencies, load, regency

DATA = files("bot") / "data" / "wilayah"


def test_the_package_holds_the_whole_country() -> None:
    index = DATA.joinpath("index.tsv").read_text(encoding="utf-8").splitlines()
    assert sum("." not in line.split("\t")[0] for line in index) == 38
    assert sum("." in line.split("\t")[0] for line in index) == 514
    rows = [
        line.split("\t")[0]
        for path in DATA.iterdir()
        if path.name.endswith(".tsv.gz")
        for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    ]
    assert sum(code.count(".") == 2 for code in rows) == 7285
    assert sum(code.count(".") == 3 for code in rows) == 83762


def test_cirebon_is_the_same_as_its_old_json() -> None:
    raw = json.loads((files("bot") / "data" / "cirebon_wilayah.json").read_text(encoding="utf-8"))
    region = load("32.09")
    assert region.name == "Kabupaten Cirebon" and region.province == "Jawa Barat"
    assert [(k.code, k.name, tuple(k.alt_names)) for k in region.kecamatan] == [
        (k["code"], k["name"], tuple(k["alt_names"])) for k in raw["kecamatan"]
    ]
    assert [(v.code, v.name, v.kind) for k in region.kecamatan for v in k.villages] == [
        (v["code"], v["name"], v["kind"])
        for k in raw["kecamatan"]
        for v in sorted(k["villages"], key=lambda v: v["code"])
    ]


def test_kota_bandung_has_30_kecamatan_of_kelurahan_only() -> None:
    bandung = load("32.73")
    assert bandung.name == "Kota Bandung" and bandung.kind == "Kota" and bandung.short_name == "Kota Bandung"
    assert len(bandung.kecamatan) == 30 and bandung.village_count == 151
    assert bandung.village_word == "kelurahan"
    assert all(k.village_word == "kelurahan" for k in bandung.kecamatan)
    assert bandung.office == "Dinas Sosial Kota Bandung"


def test_mimika_mixes_desa_and_kelurahan() -> None:
    mimika = load("94.04")
    assert mimika.name == "Kabupaten Mimika" and mimika.short_name == "Kab. Mimika" and mimika.province
    assert len(mimika.kecamatan) == 18 and mimika.village_count == 152
    assert mimika.village_word == "desa/kelurahan"
    kinds = {v.code: v.kind for k in mimika.kecamatan for v in k.villages}
    assert all(kind == ("kelurahan" if code.split(".")[3].startswith("1") else "desa") for code, kind in kinds.items())


def test_a_region_holds_its_own_places_only() -> None:
    for code in ("32.73", "94.04", "11.08"):
        region = load(code)
        assert all(k.code.startswith(code + ".") for k in region.kecamatan)
        assert all(v.code.startswith(k.code + ".") for k in region.kecamatan for v in k.villages)


def test_codes_are_read_in_any_spelling_and_unknown_ones_refused() -> None:
    assert load("3273") is load("32.73") is load(" 32-73 ")
    assert regency("32.09").name == "Kabupaten Cirebon"  # type: ignore[union-attr]
    assert regency("99.99") is None
    with pytest.raises(UnknownRegion):
        load("99.99")
    with pytest.raises(UnknownRegion):
        load("32")  # a province, not a kabupaten/kota


def test_the_office_name_can_be_given() -> None:
    named = load("32.73", "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bandung")
    assert named.office == "Dinas Sosial dan Pemberdayaan Masyarakat Kota Bandung"
    assert named.kecamatan is load("32.73").kecamatan  # the data is not copied
    assert load("32.73").office == "Dinas Sosial Kota Bandung"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bandung", ["32.04 Kabupaten Bandung", "32.17 Kabupaten Bandung Barat", "32.73 Kota Bandung"]),
        ("Kota Bandung", ["32.73 Kota Bandung"]),
        ("kab bandung", ["32.04 Kabupaten Bandung", "32.17 Kabupaten Bandung Barat"]),
        ("MIMIKA", ["94.04 Kabupaten Mimika"]),
        ("selayar", ["73.01 Kabupaten Kepulauan Selayar"]),
        ("32.09", ["32.09 Kabupaten Cirebon"]),
        ("xyzzy", []),
        ("", []),
    ],
)
def test_find_regencies(query: str, expected: list[str]) -> None:
    assert [f"{r.code} {r.name}" for r in find_regencies(query)] == expected


@pytest.mark.parametrize(
    ("code", "typed", "official"),
    [
        ("32.73", "Kec. Coblong", "Coblong"),
        ("32.73", "coblong, Kota Bandung", "Coblong"),
        ("32.73", "BANDUNG KIDUL", "Bandung Kidul"),
        ("32.73", "bandungkidul", "Bandung Kidul"),
        ("32.73", "Kecamatan Bandung-Kidul kota bandung", "Bandung Kidul"),
        ("32.73", "32.73.02", "Coblong"),
        ("94.04", "mimikabaru", "Mimika Baru"),
        ("94.04", "Kec. Mimika Barat Jauh, Kab. Mimika", "Mimika Barat Jauh"),
        ("94.04", "kwamki  narama", "Kwamki Narama"),
        ("73.01", "Bontoharu, Kabupaten Kepulauan Selayar", "Bontoharu"),
    ],
)
def test_spelling_variants_work_for_every_region(code: str, typed: str, official: str) -> None:
    found = load(code).match_kecamatan(typed)
    assert found is not None and found.name == official, typed


def test_villages_match_by_name_and_code_in_any_region() -> None:
    bandung = load("32.73")
    coblong = bandung.match_kecamatan("Coblong")
    assert coblong is not None
    assert bandung.match_village(coblong, "Kel. Lebakgede").name == "Lebak Gede"  # type: ignore[union-attr]
    assert bandung.match_village(coblong, "3273021004").name == "Dago"  # type: ignore[union-attr]
    assert bandung.match_village(coblong, "32.09.15.1001") is None
    assert [v.name for v in bandung.suggest_villages(coblong, "sekelo")][:1] == ["Sekeloa"]


def test_the_module_functions_answer_for_the_region_in_use() -> None:
    try:
        wilayah.use("32.73")
        assert len(wilayah.load_kecamatan()) == 30
        assert wilayah.match_kecamatan("Coblong").code == "32.73.02"  # type: ignore[union-attr]
        assert wilayah.match_kecamatan("Sumber") is None
        assert wilayah.kecamatan_by_code("32.09.15") is None
        assert wilayah.village_word() == "kelurahan"
    finally:
        wilayah.use(wilayah.DEFAULT_CODE)
    assert len(wilayah.load_kecamatan()) == 40
    assert wilayah.match_kecamatan("Sumber").code == "32.09.15"  # type: ignore[union-attr]
