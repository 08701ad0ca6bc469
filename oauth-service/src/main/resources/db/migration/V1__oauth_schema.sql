-- oauth-service schema: connections, one-time OAuth states, token ciphertexts, and the transactional outbox.

create table connections (
    id            uuid        primary key,
    user_id       text        not null,
    provider      text        not null default 'google',
    google_sub    text        not null,
    account_email text        not null,
    status        text        not null check (status in ('active', 'reauth_required', 'disconnected')),
    scopes        text[]      not null default '{}',
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- One live connection per (platform user, Google account). A disconnected row is history and does not count,
-- so connecting the same account again after a disconnect creates a new connection.
create unique index connections_user_google_sub_live
    on connections (user_id, google_sub)
    where status <> 'disconnected';

create index connections_user_id on connections (user_id);

-- The state travels through the browser; only its SHA-256 (hex) is stored, so a database reader cannot
-- complete someone else's flow. Single use: used_at is set by the callback that consumes it.
create table oauth_states (
    state_hash    text        primary key,
    user_id       text        not null,
    code_verifier text        not null,
    return_to     text,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    used_at       timestamptz
);

create index oauth_states_expires_at on oauth_states (expires_at);

-- Google tokens, encrypted (TokenCipher). Each ciphertext keeps the key version that made it, so keys can
-- rotate: the access token is rewritten on every refresh, the refresh token only when Google sends a new one.
create table connection_tokens (
    connection_id            uuid        primary key references connections (id) on delete cascade,
    access_token_ciphertext  text        not null,
    access_key_version       integer     not null,
    access_expires_at        timestamptz not null,
    refresh_token_ciphertext text,
    refresh_key_version      integer,
    updated_at               timestamptz not null,
    check ((refresh_token_ciphertext is null) = (refresh_key_version is null))
);

-- Transactional outbox: a state change and the Kafka message announcing it commit together; the relay
-- publishes rows in id order and marks them published once the broker acknowledged them.
create table outbox (
    id           bigserial   primary key,
    topic        text        not null,
    message_key  text        not null,
    type         text        not null,
    payload      json        not null, -- json, not jsonb: the exact text Kafka will carry
    headers      jsonb       not null,
    created_at   timestamptz not null,
    published_at timestamptz
);

create index outbox_unpublished on outbox (id) where published_at is null;
