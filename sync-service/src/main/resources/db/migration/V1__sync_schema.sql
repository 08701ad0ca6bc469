-- sync-service schema (database "sync"). Flyway owns it; the service uses it through R2DBC.

-- Local copy of oauth-service's connections, built from calendar.connections.v1.
create table connections (
    id            uuid primary key,              -- the connection id from Kafka
    user_id       text        not null,          -- the platform user (JWT sub)
    account_email text,
    status        text        not null,          -- active | reauth_required
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);
create index connections_user_idx on connections (user_id);

-- Calendars of each connection. The id is the PLATFORM's calendar id (assigned here).
create table calendars (
    id                    uuid primary key,
    connection_id         uuid        not null references connections (id) on delete cascade,
    provider_calendar_id  text        not null,  -- Google's calendar id
    name                  text,
    color                 text,
    time_zone             text,
    access_role           text,
    is_primary            boolean     not null default false,
    selected              boolean     not null default true,
    removed               boolean     not null default false,
    -- what the last acknowledged calendar.upserted carried; a differing fingerprint means "publish again"
    published_fingerprint text,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    constraint calendars_provider_uq unique (connection_id, provider_calendar_id)
);

create table calendar_sync_state (
    calendar_id        uuid primary key references calendars (id) on delete cascade,
    sync_token         text,                     -- Google's nextSyncToken of the last COMPLETE, acknowledged run
    generation         bigint      not null default 0,
    state              text        not null default 'idle', -- idle | syncing | error
    last_attempt_at    timestamptz,
    last_success_at    timestamptz,
    last_error_code    text,
    last_error_message text,
    event_count        bigint      not null default 0
);

create table connection_sync_state (
    connection_id      uuid primary key references connections (id) on delete cascade,
    state              text        not null default 'idle', -- idle | queued | syncing | error | reauth_required
    pending            boolean     not null default false,  -- a trigger arrived; one (more) run is owed
    last_attempt_at    timestamptz,
    last_success_at    timestamptz,
    next_sync_at       timestamptz,
    last_error_code    text,
    last_error_message text
);
create index connection_sync_state_due_idx on connection_sync_state (next_sync_at);

-- At most one sync per connection across all instances: a row is a lease held until expires_at.
create table sync_leases (
    connection_id uuid primary key,
    owner         text        not null,
    expires_at    timestamptz not null
);
