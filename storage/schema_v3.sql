-- ReelRoom schema, version 3: the job queue's claim order as a partial index.
-- Claims read the waiting jobs in (priority DESC, run_at, id) order and take
-- the first due one; with this index that is a short walk instead of a sort
-- of every waiting job (storage/jobs.py names it with INDEXED BY).

CREATE INDEX jobs_ready ON jobs (priority DESC, run_at, id)
    WHERE state IN ('queued', 'failed');
