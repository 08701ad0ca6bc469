-- Until when the connection rests after Google's quotaExceeded: no trigger (manual, push, backstop,
-- Kafka) starts a run before then, and "sync now" answers 429 with the rest of the pause.
alter table connection_sync_state add column paused_until timestamptz;
