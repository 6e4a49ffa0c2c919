-- AlterTable
ALTER TABLE "outbox_event" ADD COLUMN     "submission_id" UUID,
ALTER COLUMN "run_id" DROP NOT NULL;

-- AddForeignKey
ALTER TABLE "outbox_event" ADD CONSTRAINT "outbox_event_submission_id_fkey" FOREIGN KEY ("submission_id") REFERENCES "submission"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- An event announces exactly one row: a run (run.enqueue) or a submission (submission.grade).
ALTER TABLE "outbox_event" ADD CONSTRAINT "outbox_event_one_target" CHECK (num_nonnulls("run_id", "submission_id") = 1);

-- The reconciler reads queued submissions by age.
CREATE INDEX "submission_status_created_at_idx" ON "submission"("status", "created_at");
