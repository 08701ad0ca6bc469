-- Google push channels (events.watch), one live channel per selected calendar; during a renewal the
-- new and the old channel overlap until the old one is stopped.
create table watch_channels (
    id            text primary key,              -- our channel id (X-Goog-Channel-ID)
    calendar_id   uuid        not null references calendars (id) on delete cascade,
    connection_id uuid        not null references connections (id) on delete cascade,
    resource_id   text        not null,          -- Google's resourceId (needed to stop it)
    token         text        not null,          -- secret echoed as X-Goog-Channel-Token
    expires_at    timestamptz not null,
    active        boolean     not null default true,
    created_at    timestamptz not null
);
create index watch_channels_calendar_idx on watch_channels (calendar_id);
