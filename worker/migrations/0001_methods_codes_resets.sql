CREATE TABLE `dev_outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`code` text,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `resets` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`user_id` text NOT NULL,
	`status` text NOT NULL,
	`methods_required` integer NOT NULL,
	`verified_method_ids` text NOT NULL,
	`question_draw` text,
	`ip` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `resets_token_hash_unique` ON `resets` (`token_hash`);--> statement-breakpoint
CREATE INDEX `resets_user` ON `resets` (`user_id`);--> statement-breakpoint
CREATE TABLE `verification_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`method_id` text NOT NULL,
	`flow` text NOT NULL,
	`code_hash` text NOT NULL,
	`attempts_left` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`method_id`) REFERENCES `recovery_methods`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verification_codes_method_flow` ON `verification_codes` (`method_id`,`flow`);--> statement-breakpoint
ALTER TABLE `users` ADD `reset_blocked_until` integer;