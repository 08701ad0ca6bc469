-- One refresh per connection at a time without holding a transaction while Google answers (decision 2):
-- a short statement claims the refresh (refresh_claim, until refresh_claimed_until by the database's clock),
-- Google is called outside any transaction, and the answer is stored only while the claim is still the
-- caller's. An expired claim (its holder died) may be taken over. Any other write of the tokens (a
-- reconnect) clears the claim, so a refresh in flight cannot overwrite it.
alter table connection_tokens
    add column refresh_claim         uuid,
    add column refresh_claimed_until timestamptz;
