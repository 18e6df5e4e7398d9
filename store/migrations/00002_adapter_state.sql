-- +goose Up
-- adapter_state keeps what an adapter must remember across restarts and
-- replicas: Matrix's sync position and filter, a logged-in access token,
-- which bot message is about which commitment.
CREATE TABLE adapter_state (
    platform   text        NOT NULL,
    key        text        NOT NULL,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, key)
);

-- +goose Down
DROP TABLE adapter_state;
