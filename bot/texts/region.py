"""Sentences about the configured kabupaten/kota (issue 19): the CLI's `wilayah cari`, `check`, the refusal to
change WILAYAH_KODE on a database that serves another region."""

from __future__ import annotations

from bot.wilayah import Regency, Region


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
