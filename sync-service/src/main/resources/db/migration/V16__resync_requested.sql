-- An operator forced a full resync of the calendar (actuator endpoint "resync"): its sync token was
-- dropped, and a run already under way must not store a new one when it ends; the next full sync
-- (which starts a new generation) clears the flag.
alter table calendar_sync_state add column resync_requested boolean not null default false;
