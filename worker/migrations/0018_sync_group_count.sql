ALTER TABLE `directory_syncs` ADD `group_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Only the count was ever shown; the names could outgrow D1's 2 MB per value on a large directory.
UPDATE `directory_syncs` SET `group_count` = json_array_length(`groups`);
