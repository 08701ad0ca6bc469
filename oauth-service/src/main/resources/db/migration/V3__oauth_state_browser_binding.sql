-- The callback belongs to the browser that started the flow (RFC 9700 §4.7): authorize hands that browser a
-- random value in an HttpOnly cookie and stores only its SHA-256 (hex) here; the callback must present it.
-- Nullable so that states stored before this change are kept; a null binding never matches, so they simply
-- fail as invalid_state and expire within the state lifetime.
alter table oauth_states add column browser_binding_hash text;
