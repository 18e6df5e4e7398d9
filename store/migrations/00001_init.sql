-- +goose Up
-- Extensions are created WITH SCHEMA public so that every schema on the
-- search path (including throw-away test schemas) sees one copy of them.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- A network is a set of rooms on one or more platforms sharing a charter,
-- goals and commitments. Sequences for the short ids members type
-- ("done 12") live on the network so ids stay small per network.
CREATE TABLE networks (
    id             bigserial PRIMARY KEY,
    name           text        NOT NULL DEFAULT '',
    charter        text        NOT NULL DEFAULT '',
    timezone       text        NOT NULL DEFAULT 'Europe/Amsterdam',
    language       text        NOT NULL DEFAULT 'en',
    commitment_seq bigint      NOT NULL DEFAULT 0,
    goal_seq       bigint      NOT NULL DEFAULT 0,
    ask_seq        bigint      NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rooms (
    platform   text        NOT NULL,
    room_id    text        NOT NULL,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, room_id)
);

CREATE TABLE organisations (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    strengths  text[]      NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name ON organisations (network_id, lower(name));

-- platform_user_id is NULL once a member asked to be forgotten: the row
-- stays so their commitments keep an (anonymous) owner.
CREATE TABLE members (
    id               bigserial PRIMARY KEY,
    network_id       bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    platform         text        NOT NULL,
    platform_user_id text,
    display_name     text        NOT NULL DEFAULT '',
    org_id           bigint      REFERENCES organisations (id) ON DELETE SET NULL,
    timezone         text,
    language         text,
    away_until       date,
    forgotten_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX members_platform_user ON members (network_id, platform, platform_user_id)
    WHERE platform_user_id IS NOT NULL;
CREATE INDEX members_display_name ON members (network_id, lower(display_name));
CREATE INDEX members_org ON members (org_id);

CREATE TABLE skills (
    id         bigserial PRIMARY KEY,
    member_id  bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    skill      text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX skills_member_skill ON skills (member_id, lower(skill));

CREATE TABLE endorsements (
    id          bigserial PRIMARY KEY,
    endorser_id bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    endorsee_id bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    skill       text        NOT NULL,
    weight      real        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX endorsements_once ON endorsements (endorser_id, endorsee_id, lower(skill));
CREATE INDEX endorsements_endorsee ON endorsements (endorsee_id);

CREATE TABLE goals (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    no         bigint      NOT NULL,
    text       text        NOT NULL,
    created_by bigint      REFERENCES members (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (network_id, no)
);

CREATE TABLE commitments (
    id           bigserial PRIMARY KEY,
    network_id   bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    no           bigint      NOT NULL,
    owner_id     bigint      NOT NULL REFERENCES members (id),
    recipient_id bigint      REFERENCES members (id) ON DELETE SET NULL,
    goal_id      bigint      REFERENCES goals (id) ON DELETE SET NULL,
    text         text        NOT NULL,
    due          date,
    status       text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    done_at      timestamptz,
    UNIQUE (network_id, no)
);
CREATE INDEX commitments_owner ON commitments (owner_id, status);
CREATE INDEX commitments_due ON commitments (network_id, status, due);
CREATE INDEX commitments_goal ON commitments (goal_id);

CREATE TABLE commitment_updates (
    id            bigserial PRIMARY KEY,
    commitment_id bigint      NOT NULL REFERENCES commitments (id) ON DELETE CASCADE,
    member_id     bigint      REFERENCES members (id) ON DELETE SET NULL,
    kind          text        NOT NULL,
    note          text        NOT NULL DEFAULT '',
    due           date,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commitment_updates_commitment ON commitment_updates (commitment_id, created_at);

CREATE TABLE asks (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    no         bigint      NOT NULL,
    member_id  bigint      REFERENCES members (id) ON DELETE SET NULL,
    text       text        NOT NULL,
    status     text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (network_id, no)
);

-- evidence is what "who is good at X" answers from: one row per declared
-- skill, endorsement and delivered commitment, kept in the same transaction
-- as its source row.
CREATE TABLE evidence (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL,
    member_id  bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('declared', 'endorsed', 'delivered')),
    source_id  bigint      NOT NULL,
    text       text        NOT NULL,
    weight     real        NOT NULL,
    at         timestamptz NOT NULL
);
CREATE INDEX evidence_member ON evidence (member_id);
CREATE INDEX evidence_source ON evidence (kind, source_id);

-- member_terms is the inverted index behind "who is good at X": per member
-- and search term (a word or word pair, as written and stemmed in English
-- and Dutch) the summed evidence score. Scores are stored as
-- weight × exp((at − 2026-01-01) / 365 days): decay relative to a fixed
-- epoch ranks exactly as decay relative to "now" does, because the factor
-- between them is the same for every row, so scores never need rewriting
-- as time passes. The covering index lets a query read the best members of
-- a term without touching the table.
CREATE TABLE member_terms (
    member_id  bigint           NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    term       text             NOT NULL,
    network_id bigint           NOT NULL,
    org_id     bigint,
    score      double precision NOT NULL,
    PRIMARY KEY (member_id, term)
);
CREATE INDEX member_terms_rank ON member_terms (network_id, term, score DESC) INCLUDE (member_id, org_id);

-- lexicon holds every word that occurs in evidence, per network, with its
-- stems, so a misspelt question word can be mapped to real words (and so to
-- search terms) by trigram similarity on a small table, inside the ranking
-- query.
CREATE TABLE lexicon (
    network_id bigint NOT NULL,
    word       text   NOT NULL,
    en         text   NOT NULL, -- English stem
    nl         text   NOT NULL, -- Dutch stem
    PRIMARY KEY (network_id, word)
);
CREATE INDEX lexicon_trgm ON lexicon USING gin (word public.gin_trgm_ops);

-- processed_events lets adapters drop redeliveries (same platform event id).
CREATE TABLE processed_events (
    platform   text        NOT NULL,
    event_id   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, event_id)
);

-- +goose Down
DROP TABLE processed_events, lexicon, member_terms, evidence, asks, commitment_updates, commitments,
    goals, endorsements, skills, members, organisations, rooms, networks;
