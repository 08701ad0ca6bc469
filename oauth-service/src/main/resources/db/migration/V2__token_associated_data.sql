-- Token ciphertexts become bound to their slot: the associated data of a ciphertext written from now on names
-- its connection id and column (calsync:connection_tokens:<id>:access_token, see TokenSlot), so a ciphertext
-- copied into another row or column no longer decrypts. Rows written before this migration were bound only to
-- their key version (local key) or to nothing (Vault transit): format 1. New writes are format 2.
--
-- Existing rows, and rows that an instance of the previous build inserts while a rolling deploy is under way,
-- are format 1 by these defaults. TokenReencryption rewrites format-1 ciphertexts as format 2 in the background.
alter table connection_tokens
    add column access_aad_format  integer not null default 1 check (access_aad_format in (1, 2)),
    add column refresh_aad_format integer check (refresh_aad_format in (1, 2));

-- Null beside a refresh ciphertext (written by the previous build) also reads as format 1.
update connection_tokens set refresh_aad_format = 1 where refresh_token_ciphertext is not null;
