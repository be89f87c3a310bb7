-- A missed sentence quotes a pupil: it is now encrypted under the month key of its incident's receipt and deleted with that
-- month (retention). The receipt time is kept in the clear to find the key; sentences filed before have none (data key).
ALTER TABLE missed_sentences ADD COLUMN received_ms bigint;
CREATE INDEX missed_sentences_received ON missed_sentences (school_id, received_ms);
