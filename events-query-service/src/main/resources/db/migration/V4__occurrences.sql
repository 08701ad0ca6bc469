-- Materialized occurrences (root README, decision 14): every occurrence a user can see, kept in the transaction
-- that writes the events rows, so the upcoming query is one index range scan whatever the number of series.
-- A group is a series (its master and every row with that recurring_event_id) or a lone event; its rows
-- here are recomputed from the events table whenever one of its events rows is written.
create table occurrences (
    connection_id       uuid        not null,
    calendar_id         uuid        not null,
    -- the series id for instances and exceptions, else the event's own id
    group_id            text        not null,
    -- the id the API answers: <series>_<UTC start> for an instance, else the event's id
    id                  text        not null,
    -- the events row that holds title, description, ... (the master for an instance)
    event_id            text        not null,
    user_id             text        not null,
    all_day             boolean     not null,
    -- timed: the start; all-day: the start date at UTC midnight
    start_key           timestamptz not null,
    -- timed: the later of start and end; all-day: the exclusive end date at UTC midnight
    end_key             timestamptz not null,
    -- timed: the end as answered (it may precede the start when the source says so)
    end_at              timestamptz,
    -- an instance: its series' zone; any other row: the event's own zone (null: the calendar's)
    time_zone           text,
    recurring_event_id  text,
    -- the lowest snapshot generation among the group's events rows: a sweep below it touched the group
    source_generation   bigint      not null,
    primary key (connection_id, calendar_id, group_id, id)
);

-- The upcoming query: timed and all-day occurrences of a user in start order (then id); end_key in the key
-- so that rows that ended before the window are skipped inside the index.
create index occurrences_upcoming_idx on occurrences (user_id, all_day, start_key, id, end_key);
-- The horizon job's daily pruning of occurrences that ended.
create index occurrences_end_idx on occurrences (end_key);

-- Groups whose occurrences depend on more than one events row or on a rule: series (live master, or
-- exceptions). expanded_until: instances are materialized up to this instant; null when the rule has no
-- instance after it. The horizon job re-expands series whose expanded_until comes within reach of a query.
create table occurrence_series (
    connection_id       uuid        not null,
    calendar_id         uuid        not null,
    series_id           text        not null,
    user_id             text        not null,
    expanded_until      timestamptz,
    min_generation      bigint      not null,
    -- the series has no usable zone of its own and was expanded in its calendar's
    zone_from_calendar  boolean     not null default false,
    primary key (connection_id, calendar_id, series_id)
);

create index occurrence_series_horizon_idx on occurrence_series (expanded_until)
    where expanded_until is not null;

-- Rows written before this migration: every group with a visible row waits for the horizon job, which
-- materializes it at startup (a group that turns out to be a lone event keeps no row here afterwards).
insert into occurrence_series (connection_id, calendar_id, series_id, user_id, expanded_until, min_generation)
select connection_id, calendar_id, coalesce(recurring_event_id, event_id), min(user_id), '-infinity', min(generation)
  from events
 where not deleted and status <> 'cancelled'
 group by connection_id, calendar_id, coalesce(recurring_event_id, event_id);

-- The upcoming query no longer reads events by time: their partial indexes only slowed writes.
drop index events_user_timed_idx;
drop index events_user_all_day_idx;
drop index events_user_masters_idx;
