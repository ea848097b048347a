-- The files an uploaded XLSForm version comes with (issue 18): the CSV/XML lists select_one_from_file and
-- pulldata() read, and media, from the ZIP the workbook came in or sent as documents right after it.
CREATE TABLE xform_attachment (
    version_id INTEGER NOT NULL REFERENCES xform_version (id),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (version_id, name)
);
