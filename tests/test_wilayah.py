"""Kecamatan/desa data and tolerant matching (bot.wilayah), PPKS categories (bot.ppks)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.ppks import PpksCategory, load_ppks, ppks_by_code
from bot.wilayah import (
    Kecamatan,
    Village,
    kecamatan_by_code,
    load_kecamatan,
    match_kecamatan,
    match_village,
    suggest_kecamatan,
    suggest_villages,
)

ALL_KECAMATAN = load_kecamatan()


def _kec(name: str) -> Kecamatan:
    found = [k for k in ALL_KECAMATAN if k.name == name]
    assert len(found) == 1, name
    return found[0]


# --------------------------------------------------------------------------- data


def test_forty_kecamatan_ordered_with_unique_codes() -> None:
    codes = [k.code for k in ALL_KECAMATAN]
    assert len(ALL_KECAMATAN) == 40
    assert len(set(codes)) == 40
    assert codes == sorted(codes)
    assert codes[0] == "32.09.01" and codes[-1] == "32.09.40"
    assert len({k.name for k in ALL_KECAMATAN}) == 40


def test_424_villages_with_unique_codes_inside_their_kecamatan() -> None:
    villages = [v for k in ALL_KECAMATAN for v in k.villages]
    assert len(villages) == 424
    assert len({v.code for v in villages}) == 424
    for k in ALL_KECAMATAN:
        assert k.villages, k.name
        assert all(v.code.startswith(k.code + ".") for v in k.villages)
    assert {v.kind for v in villages} == {"desa", "kelurahan"}
    assert sum(v.kind == "kelurahan" for v in villages) == 12


def test_load_is_cached_and_frozen() -> None:
    assert load_kecamatan() is load_kecamatan()
    with pytest.raises(dataclasses.FrozenInstanceError):
        ALL_KECAMATAN[0].name = "x"  # type: ignore[misc]
    assert isinstance(ALL_KECAMATAN[0].villages[0], Village)


def test_kecamatan_by_code() -> None:
    assert kecamatan_by_code("32.09.15") == _kec("Sumber")
    assert kecamatan_by_code("32.09.99") is None
    assert kecamatan_by_code("") is None


# --------------------------------------------------------------------------- kecamatan matching


@pytest.mark.parametrize("kec", ALL_KECAMATAN, ids=lambda k: k.name)
def test_every_kecamatan_matches_its_own_name(kec: Kecamatan) -> None:
    spaced = "  " + kec.name.replace(" ", "   ") + " "
    for text in (
        kec.name,
        kec.name.upper(),
        kec.name.lower(),
        f"Kec. {kec.name}",
        f"kec {kec.name}",
        f"KEC.{kec.name}",
        f"Kecamatan {kec.name}",
        f"kecamatan   {spaced}",
        f"{kec.name}.",
        f"Kecamatan {kec.name}, Kabupaten Cirebon",
        kec.code,
    ):
        assert match_kecamatan(text) == kec, text
    for alt in kec.alt_names:
        assert match_kecamatan(alt) == kec, alt


@pytest.mark.parametrize(
    ("text", "official"),
    [
        ("Kepetakan", "Kepetakan"),
        ("Kapetakan", "Kepetakan"),
        ("kec. kapetakan", "Kepetakan"),
        ("Gunung Jati", "Gunung Jati"),
        ("Gunungjati", "Gunung Jati"),
        ("gunung-jati", "Gunung Jati"),
        ("Susukan Lebak", "Susukan Lebak"),
        ("Susukanlebak", "Susukan Lebak"),
        ("Kecamatan SUSUKANLEBAK", "Susukan Lebak"),
        ("Tengah Tani", "Tengah Tani"),
        ("Tengahtani", "Tengah Tani"),
        ("tengah  tani", "Tengah Tani"),
    ],
)
def test_domain_spelling_variants(text: str, official: str) -> None:
    assert match_kecamatan(text) == _kec(official)


def test_domain_variants_are_alt_names() -> None:
    assert "Kapetakan" in _kec("Kepetakan").alt_names
    assert "Gunungjati" in _kec("Gunung Jati").alt_names
    assert "Susukanlebak" in _kec("Susukan Lebak").alt_names
    assert "Tengahtani" in _kec("Tengah Tani").alt_names


def test_susukan_and_susukan_lebak_are_distinct() -> None:
    susukan = match_kecamatan("Susukan")
    lebak = match_kecamatan("Susukan Lebak")
    assert susukan is not None and lebak is not None
    assert susukan.name == "Susukan"
    assert lebak.name == "Susukan Lebak"
    assert susukan != lebak
    assert match_kecamatan("kec susukan") == susukan


@pytest.mark.parametrize(
    ("text", "official"),
    [("Sumbr", "Sumber"), ("sumbet", "Sumber"), ("Plumbn", "Plumbon"), ("Ardjawinangun", "Arjawinangun")],
)
def test_small_typo_matches_unique_candidate(text: str, official: str) -> None:
    assert match_kecamatan(text) == _kec(official)


@pytest.mark.parametrize("text", ["", "   ", "Kecamatan", "xyzzy", "qwertyuiop", "Jakarta Selatan", "32.09.99"])
def test_empty_and_unknown_give_none(text: str) -> None:
    assert match_kecamatan(text) is None


def test_ambiguous_typo_gives_none() -> None:
    # "Langenan" is one edit from both Pangenan and Klangenan.
    assert match_kecamatan("Pangenan") == _kec("Pangenan")
    assert match_kecamatan("Klangenan") == _kec("Klangenan")
    assert match_kecamatan("Langenan") is None


def test_code_forms() -> None:
    assert match_kecamatan("32.09.05") == _kec("Babakan")
    assert match_kecamatan(" 320905 ") == _kec("Babakan")


def test_suggest_kecamatan() -> None:
    assert {k.name for k in suggest_kecamatan("Susu")[:2]} == {"Susukan", "Susukan Lebak"}
    assert {k.name for k in suggest_kecamatan("Langenan")[:2]} == {"Pangenan", "Klangenan"}
    assert len(suggest_kecamatan("an", limit=3)) <= 3
    assert suggest_kecamatan("") == []
    assert suggest_kecamatan("xyzzyqq") == []


# --------------------------------------------------------------------------- village matching


def test_match_village_inside_kecamatan() -> None:
    sumber = _kec("Sumber")
    matangaji = match_village(sumber, "Matangaji")
    assert matangaji is not None and matangaji.name == "Matangaji" and matangaji.kind == "desa"
    for text in ("Desa Matangaji", "desa  matangaji", "MATANGAJI", "Ds. Matangaji", "Matangaj"):
        assert match_village(sumber, text) == matangaji, text
    kenanga = match_village(sumber, "Kel. Kenanga")
    assert kenanga is not None and kenanga.kind == "kelurahan"
    assert match_village(sumber, "Kelurahan Kenanga") == kenanga
    assert match_village(sumber, kenanga.code) == kenanga


def test_village_name_starting_like_a_prefix_still_matches() -> None:
    waled = _kec("Waled")
    village = match_village(waled, "Waled Desa")
    assert village is not None and village.name == "Waled Desa"
    assert match_village(waled, "Desa Waled Desa") == village


def test_village_of_another_kecamatan_does_not_match() -> None:
    sumber = _kec("Sumber")
    susukan = _kec("Susukan")
    assert match_village(susukan, "Tangkil") is not None
    assert match_village(sumber, "Tangkil") is None
    assert match_village(sumber, match_village(susukan, "Tangkil").code) is None  # type: ignore[union-attr]


def test_village_empty_unknown_and_ambiguous() -> None:
    sumber = _kec("Sumber")
    assert match_village(sumber, "") is None
    assert match_village(sumber, "Desa") is None
    assert match_village(sumber, "xyzzy") is None
    kedawung = _kec("Kedawung")
    # "Kedungdaya" is one edit from both Kedungdawa and Kedungjaya.
    assert match_village(kedawung, "Kedungdaya") is None
    assert {v.name for v in suggest_villages(kedawung, "Kedungdaya")[:2]} == {"Kedungdawa", "Kedungjaya"}


def test_suggest_villages_stays_in_kecamatan() -> None:
    sumber = _kec("Sumber")
    suggestions = suggest_villages(sumber, "Matang", limit=5)
    assert suggestions and suggestions[0].name == "Matangaji"
    assert len(suggestions) <= 5
    assert all(v in sumber.villages for v in suggestions)
    assert suggest_villages(sumber, "") == []


# --------------------------------------------------------------------------- PPKS


def test_26_ppks_categories() -> None:
    ppks = load_ppks()
    assert len(ppks) == 26
    assert [p.code for p in ppks] == [f"PPKS-{i:02d}" for i in range(1, 27)]
    assert all(isinstance(p, PpksCategory) and p.name for p in ppks)
    assert ppks_by_code("PPKS-03") is not None and ppks_by_code("PPKS-03").abbr == "ABH"  # type: ignore[union-attr]
    assert ppks_by_code("ppks-01") == ppks[0]
    assert ppks_by_code("PPKS-27") is None
    assert ppks_by_code("") is None
