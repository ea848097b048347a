-- The editions of bot/data/wilayah/perubahan_kode.tsv whose code changes this database has taken (issue 19): a
-- new Kepmendagri edition that renumbers a kecamatan or a village is applied once, at the first start after it.
CREATE TABLE region_edition (
    edition TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL
);
