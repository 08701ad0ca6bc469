-- When the last manual sync ("sync now") of the connection was accepted: one per calsync.sync.manual-sync-interval.
alter table connection_sync_state add column manual_requested_at timestamptz;
