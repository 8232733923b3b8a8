-- The row a console locks (SELECT ... FOR UPDATE) while it seeds demo data on a new database, so that two consoles
-- starting together on one new database seed it once: the second waits, then finds the data there.
INSERT INTO app_meta (meta_key, meta_value) VALUES ('seed_lock', 'locked while the first start seeds demo data');
