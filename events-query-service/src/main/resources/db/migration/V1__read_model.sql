-- The upcoming-events read model, built only from Kafka (calendar.connections.v1, calendar.event-changes.v1).

-- Connections as announced by oauth-service. 'disconnected' is kept as a tombstone so that late event
-- messages of a removed connection are not written again; status_at orders the lifecycle messages.
create table connections (
    id          uuid        primary key,
    user_id     text        not null,
    status      text        not null check (status in ('active', 'reauth_required', 'disconnected')),
    status_at   timestamptz not null
);

-- Calendars as announced by sync-service (calendar_id is the platform's calendar UUID).
create table calendars (
    connection_id         uuid        not null,
    calendar_id           uuid        not null,
    user_id               text        not null,
    name                  text,
    color                 text,
    time_zone             text,
    selected              boolean     not null default true,
    removed               boolean     not null default false,
    snapshot_generation   bigint,
    completed_generation  bigint,
    updated_at            timestamptz,
    primary key (connection_id, calendar_id)
);

create index calendars_user_idx on calendars (user_id);

-- Events, series masters (recurrence not null), exceptions of series (recurring_event_id not null) and
-- tombstones (deleted). A timed start/end is an instant plus the offset it was written with; an all-day
-- start/end is a date (end exclusive). source_updated is Google's `updated`: older data never wins.
create table events (
    connection_id           uuid        not null,
    calendar_id             uuid        not null,
    event_id                text        not null,
    user_id                 text        not null,
    status                  text        not null,
    title                   text,
    description             text,
    location                text,
    start_at                timestamptz,
    start_offset_seconds    integer,
    start_date              date,
    start_time_zone         text,
    end_at                  timestamptz,
    end_offset_seconds      integer,
    end_date                date,
    end_time_zone           text,
    all_day                 boolean     not null default false,
    recurrence              text[],
    recurring_event_id      text,
    original_start_at       timestamptz,
    original_start_date     date,
    html_link               text,
    source_updated          timestamptz not null,
    etag                    text,
    generation              bigint      not null default 0,
    deleted                 boolean     not null default false,
    primary key (connection_id, calendar_id, event_id)
);

-- Single events and exceptions overlapping a window: timed ones by instant, all-day ones by date.
create index events_user_timed_idx on events (user_id, start_at, end_at)
    where not deleted and recurrence is null and not all_day;
create index events_user_all_day_idx on events (user_id, start_date, end_date)
    where not deleted and recurrence is null and all_day;
-- Series masters, expanded on read.
create index events_user_masters_idx on events (user_id, start_at, start_date)
    where not deleted and recurrence is not null;
-- Exceptions of a series, matched to instances by (recurring_event_id, original start).
create index events_exceptions_idx on events (connection_id, calendar_id, recurring_event_id)
    where recurring_event_id is not null;
-- Sweeping older snapshot generations of a calendar.
create index events_generation_idx on events (connection_id, calendar_id, generation);
