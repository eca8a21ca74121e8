CREATE TABLE `directory_agents` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`enrollment_token_hash` text,
	`enrollment_expires_at` integer,
	`credential_hash` text,
	`public_key` text,
	`version` text,
	`created_at` integer NOT NULL,
	`enrolled_at` integer,
	`last_seen_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `directory_agents_enrollment_token_hash_unique` ON `directory_agents` (`enrollment_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `directory_agents_credential_hash_unique` ON `directory_agents` (`credential_hash`);--> statement-breakpoint
CREATE TABLE `directory_syncs` (
	`id` text PRIMARY KEY NOT NULL,
	`agent_id` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`next_page` integer DEFAULT 0 NOT NULL,
	`users` integer DEFAULT 0 NOT NULL,
	`groups` text NOT NULL,
	`errors` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `directory_syncs_finished` ON `directory_syncs` (`finished_at`);--> statement-breakpoint
ALTER TABLE `recovery_methods` ADD `origin` text DEFAULT 'user' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `source` text DEFAULT 'native' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `external_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `directory_dn` text;--> statement-breakpoint
ALTER TABLE `users` ADD `sync_id` text;--> statement-breakpoint
ALTER TABLE `users` ADD `directory_contact` text;--> statement-breakpoint
ALTER TABLE `users` ADD `password_expires_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `password_never_expires` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `users_external_id_unique` ON `users` (`external_id`);