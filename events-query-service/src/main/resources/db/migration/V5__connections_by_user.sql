-- The upcoming query reads a user's inactive connections once per request (R2dbcUpcomingEventStore).
create index connections_user_idx on connections (user_id);
