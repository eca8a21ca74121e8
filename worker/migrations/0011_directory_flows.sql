ALTER TABLE `directory_syncs` ADD `incomplete` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `resets` ADD `claimed_until` integer;