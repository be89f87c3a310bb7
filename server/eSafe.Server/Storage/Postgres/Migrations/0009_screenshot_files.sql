-- Screenshots may be kept in segment files that the server processes share (serve --screenshots) rather than in the
-- database, which then holds only where each one is: a 100 KB image written into the heap and again into the WAL was most
-- of what an incident cost PostgreSQL. Rows from before keep their blob; a row has one or the other.
ALTER TABLE screenshots ALTER COLUMN blob DROP NOT NULL;
ALTER TABLE screenshots ADD COLUMN segment text COLLATE "C", ADD COLUMN record_offset bigint, ADD COLUMN length integer;
ALTER TABLE screenshots ADD CONSTRAINT screenshots_blob_or_file
    CHECK ((blob IS NULL) <> (segment IS NULL) AND (segment IS NULL) = (record_offset IS NULL) AND (segment IS NULL) = (length IS NULL));
CREATE INDEX screenshots_segment ON screenshots (segment) WHERE segment IS NOT NULL;
-- The rows that still hold a month-key screenshot (version byte 3, PeriodKeys.Version), for the server processes to move
-- into the files (ScreenshotMover); those under the data key stay in their rows and are left out, so no scan reads them.
CREATE INDEX screenshots_in_row ON screenshots (incident_id) WHERE blob IS NOT NULL AND get_byte(blob, 0) = 3;
