-- The kabupaten/kota this database serves (issue 19, WILAYAH_KODE): stored at the first start, compared at every
-- start, so that a changed setting cannot mix two regions' kecamatan in one database.
CREATE TABLE region (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    name TEXT NOT NULL
);

-- A database that already holds kecamatan was made before the region was a setting: it serves Kabupaten Cirebon.
INSERT INTO region (id, code, name) SELECT 1, '32.09', 'Kabupaten Cirebon' WHERE EXISTS (SELECT 1 FROM kecamatan);
