-- +goose Up
-- Runs' custom attributes, as parts' (a JSON list of {key, type, value}).
ALTER TABLE runs ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE runs DROP COLUMN attributes;
