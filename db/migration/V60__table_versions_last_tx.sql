-- Cross-process cache coherence (issue 6). Each table_versions row counts the committed transactions that
-- changed its table: a row trigger (vendor-specific, see db/vendor/{h2,postgresql}/V61) allows at most one
-- increment per transaction and remembers that transaction here, so the console's own bump and the DML
-- triggers' bump of the same transaction count once.
ALTER TABLE table_versions ADD COLUMN last_tx VARCHAR(80);
