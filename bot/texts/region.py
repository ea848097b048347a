"""Sentences about the configured kabupaten/kota (issue 19): the CLI's `wilayah cari`, `check`, the refusal to
change WILAYAH_KODE on a database that serves another region."""

from __future__ import annotations

from bot.wilayah import Regency, Region, current


def region_refused(stored_code: str, stored_name: str, configured: Region) -> str:
    """One line for the operator: the database serves another region than WILAYAH_KODE names."""
    return (
        f"WILAYAH_KODE={configured.code} ({configured.name}) tidak cocok dengan database ini, yang melayani "
        f"{stored_name} ({stored_code}). Kembalikan WILAYAH_KODE={stored_code}, atau pakai DATABASE_URL lain "
        "untuk wilayah baru."
    )


def region_summary(region: Region) -> str:
    """ "Kabupaten Cirebon (32.09), Jawa Barat: 40 kecamatan, 424 desa/kelurahan; Dinas Sosial Kabupaten Cirebon"."""
    return (
        f"{region.name} ({region.code}), {region.province}: {len(region.kecamatan)} kecamatan, "
        f"{region.village_count} {region.village_word}; {region.office}"
    )


def regency_line(regency: Regency) -> str:
    return f"{regency.code}  {regency.name} ({regency.province})"


def regencies_not_found(query: str) -> str:
    return f"Tidak ada kabupaten/kota yang namanya memuat {query!r}."


CLI_WILAYAH = "cari kode kabupaten/kota untuk WILAYAH_KODE"
CLI_WILAYAH_CARI = "cari menurut nama (atau kode) kabupaten/kota"
CLI_WILAYAH_NAMA = "nama kabupaten/kota, misalnya bandung"


# --- The region in sentences: every text that names the office, the region or its size reads these -------------


def office() -> str:
    """ "Dinas Sosial Kabupaten Cirebon", or DINAS_NAMA."""
    return current().office


def region_name() -> str:
    """ "Kabupaten Cirebon", "Kota Bandung"."""
    return current().name


def all_kecamatan() -> str:
    """ "40 kecamatan": how many the region has."""
    return f"{len(current().kecamatan)} kecamatan"


def region_short() -> str:
    """ "Kab. Cirebon", "Kota Bandung": the dashboard's header."""
    return current().short_name


def example_kecamatan() -> str:
    """A kecamatan of the region for examples such as `/daftar Sumber`: Sumber in Kabupaten Cirebon (its capital),
    else the region's first by code."""
    region = current()
    names = [k.name for k in region.kecamatan]
    return "Sumber" if "Sumber" in names else names[0]


def villages(text: str) -> str:
    """A sentence written for "desa/kelurahan" (and "desanya") in the region's own word: "kelurahan" in a kota
    whose kecamatan hold only kelurahan, "desa" where there are only desa; unchanged where there are both."""
    word = village_word()
    if word == "desa/kelurahan":
        return text
    return (
        text.replace("desa/kelurahan", word)
        .replace("Desa/kelurahan", word.capitalize())
        .replace("desanya", f"{word}nya")
    )


def village_word() -> str:
    """ "desa", "kelurahan" or "desa/kelurahan", as the region calls its villages."""
    return current().village_word
