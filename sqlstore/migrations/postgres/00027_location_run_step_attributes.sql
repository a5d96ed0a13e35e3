-- +goose Up
-- Locations' and run steps' custom attributes, as parts' (a JSON list of {key, type, value});
-- a run step starts with its step's.
ALTER TABLE locations ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE run_steps ADD COLUMN attributes TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE run_steps DROP COLUMN attributes;
ALTER TABLE locations DROP COLUMN attributes;
