-- authorize counts a user's pending states (unused, unexpired) before it stores another one.
create index oauth_states_user_pending on oauth_states (user_id, expires_at) where used_at is null;
