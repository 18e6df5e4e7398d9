-- +goose Up
-- web_tokens holds the network page's sign-in links and sessions. Only a
-- SHA-256 hash of each token is kept, so a copy of the database signs
-- nobody in. A link is single use (deleted when redeemed) and lives 15
-- minutes; a session lives 30 days. guest records whether the member was
-- a guest when they asked for the link: the page shows a guest only what
-- a guest may see in chat.
CREATE TABLE web_tokens (
    hash       bytea       PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('link', 'session')),
    member_id  bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    guest      boolean     NOT NULL DEFAULT false,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_tokens_member ON web_tokens (member_id);
CREATE INDEX web_tokens_expires ON web_tokens (expires_at);

-- The page reads deliveries by date (per month, the last 30 days, who
-- delivered to whom in the last 90 days) without scanning every
-- commitment of the network.
CREATE INDEX commitments_done ON commitments (network_id, done_at) WHERE status = 'done';

-- +goose Down
DROP INDEX commitments_done;
DROP TABLE web_tokens;
