-- Issue 10: calsync_sync_runs_total{trigger}. The trigger that made a connection's run owed (connect,
-- manual, push, backstop, selection, retry); triggers that coalesce into an owed run keep it, except
-- that a connection-wide one replaces a push. Null for runs owed before this column existed.
alter table connection_sync_state add column pending_trigger text;
