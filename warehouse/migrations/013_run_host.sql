-- The machine a run ran on: with its pid, tells a run that is still going from one whose
-- process died (a kill -9, a power cut), as soon as anyone lists the runs.

ALTER TABLE runs ADD COLUMN host VARCHAR;
