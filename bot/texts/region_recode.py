"""Sentences about a new Kepmendagri edition's code changes (issue 19): the start's log, the renames file's errors."""

from __future__ import annotations


def editions_applied(editions: list[str], region_name: str) -> str:
    return f"Perubahan kode wilayah {region_name} diterapkan ke database: edisi {', '.join(editions)}"


def bad_line(path: str, number: int, line: str) -> str:
    return (
        f"{path}:{number}: baris perubahan kode tidak sah: {line!r} "
        "(seharusnya 'edisi<TAB>kode_lama<TAB>kode_baru', kode kecamatan atau desa/kelurahan yang setingkat)"
    )
