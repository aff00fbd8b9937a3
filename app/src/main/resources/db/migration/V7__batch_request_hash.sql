-- What a batch was asked for (audio, templates, settings), hashed: a retry with the same
-- Idempotency-Key must ask for the same thing, or it is refused rather than silently answered
-- with the earlier batch.
alter table batches add column request_hash varchar(64);
