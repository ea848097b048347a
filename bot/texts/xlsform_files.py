"""What the bot says about the files an XLSForm comes in (.xlsx and .xls) and forms pyxform fails on."""

NOT_A_WORKBOOK = (
    "File ini bukan file Excel .xlsx atau .xls. Simpan formulir sebagai Excel Workbook (.xlsx) lalu kirim lagi."
)
READER_FAILED = (
    "Formulir ini tidak dapat dibaca oleh pembaca XLSForm (pyxform). Periksa lembar survey, choices dan "
    "settings, atau simpan ulang sebagai .xlsx lalu kirim lagi."
)
