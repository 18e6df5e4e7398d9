-- +goose Up
-- A schedule posts a digest into one room at the slots of a cron line,
-- read in the network's timezone. next_at is the next slot, so the
-- scheduler finds due schedules with one index scan.
CREATE TABLE schedules (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    platform   text        NOT NULL,
    room_id    text        NOT NULL,
    spec       text        NOT NULL,
    next_at    timestamptz NOT NULL,
    created_by bigint      REFERENCES members (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, room_id)
);
CREATE INDEX schedules_next ON schedules (next_at);

-- digests holds one row per digest slot of a room, claimed before it is
-- sent: the unique key is what makes a slot go out once however many
-- replicas plan it. sent_at is set once the platform took the message.
CREATE TABLE digests (
    id         bigserial PRIMARY KEY,
    network_id bigint      NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    platform   text        NOT NULL,
    room_id    text        NOT NULL,
    slot       timestamptz NOT NULL,
    since      timestamptz,
    skipped    text        NOT NULL DEFAULT '',
    message_id text        NOT NULL DEFAULT '',
    sent_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (platform, room_id, slot)
);

-- Nudge preferences: 'on' (every reminder), 'weekly' (one summary a
-- week), 'off'. Working hours are minutes after local midnight.
ALTER TABLE members
    ADD COLUMN nudges     text     NOT NULL DEFAULT 'on' CHECK (nudges IN ('on', 'weekly', 'off')),
    ADD COLUMN work_start smallint NOT NULL DEFAULT 540 CHECK (work_start BETWEEN 0 AND 1439),
    ADD COLUMN work_end   smallint NOT NULL DEFAULT 1020 CHECK (work_end BETWEEN 1 AND 1440);

-- nudges holds one row per reminder, claimed (unique key) before it is
-- sent, like digests. key names what the reminder is about:
-- "c<commitment>:<due>:<stage>" or "w<member>:<iso week>".
CREATE TABLE nudges (
    id            bigserial PRIMARY KEY,
    key           text        NOT NULL UNIQUE,
    member_id     bigint      NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    commitment_id bigint      REFERENCES commitments (id) ON DELETE CASCADE,
    stage         text        NOT NULL,
    overdue       boolean     NOT NULL DEFAULT false,
    skipped       text        NOT NULL DEFAULT '',
    message_id    text        NOT NULL DEFAULT '',
    sent_at       timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nudges_commitment ON nudges (commitment_id, created_at);
CREATE INDEX nudges_member ON nudges (member_id, created_at);

-- +goose Down
DROP TABLE nudges;
ALTER TABLE members DROP COLUMN nudges, DROP COLUMN work_start, DROP COLUMN work_end;
DROP TABLE digests;
DROP TABLE schedules;
