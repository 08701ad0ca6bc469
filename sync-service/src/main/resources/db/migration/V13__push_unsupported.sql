-- Issue 9: Google refuses events.watch on many calendars an account only reads (holidays, a colleague's):
-- 400 pushNotSupportedForRequestedResource, or another permanent refusal. When it last refused this
-- calendar; null while watch is not known to be refused. Such a calendar is synced by the backstop every
-- calsync.sync.unwatched-interval, and watch is asked again only calsync.sync.rewatch-after later.
alter table calendar_sync_state add column push_refused_at timestamptz;

-- The backstop's look for refused calendars that are due.
create index calendar_sync_state_push_refused_idx on calendar_sync_state (last_attempt_at)
    where push_refused_at is not null;
