-- +goose Up
-- Introductions: a member asks Knoop to introduce them to an expert; the
-- expert accepts or says "not now". A request is private to the two.
ALTER TABLE members ADD COLUMN intros_off boolean NOT NULL DEFAULT false;

CREATE TABLE intros (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    asker_id   bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    expert_id  bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    topic      text        NOT NULL,
    note       text        NOT NULL DEFAULT '',
    -- the language the asker asked in: both hear about it in it unless
    -- they chose a language of their own
    lang       text        NOT NULL DEFAULT '',
    -- asked → accepted | declined
    status     text        NOT NULL DEFAULT 'asked',
    -- the rest of the who-answer it came from, in order, to offer the
    -- next member after a "not now"
    rest       bigint[]    NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL,
    decided_at timestamptz
);
CREATE INDEX intros_expert ON intros (expert_id, created_at);
CREATE INDEX intros_asker ON intros (asker_id, created_at);

-- intro_offers keeps each member's last who-answer (its topic and the
-- members listed, in order), so "intro 2" knows whom they mean. One row
-- per asker, replaced by the next answer.
CREATE TABLE intro_offers (
    member_id  bigint      PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    topic      text        NOT NULL,
    members    bigint[]    NOT NULL,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE intro_offers;
DROP TABLE intros;
ALTER TABLE members DROP COLUMN intros_off;
