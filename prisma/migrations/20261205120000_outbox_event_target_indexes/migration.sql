-- CreateIndex
CREATE INDEX "outbox_event_run_id_idx" ON "outbox_event"("run_id");

-- CreateIndex
CREATE INDEX "outbox_event_submission_id_idx" ON "outbox_event"("submission_id");
