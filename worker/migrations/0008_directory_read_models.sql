CREATE TABLE `registration_buckets` (
	`is_admin` integer NOT NULL,
	`disabled` integer NOT NULL,
	`groups` text NOT NULL,
	`mask` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`is_admin`, `disabled`, `groups`, `mask`)
);
--> statement-breakpoint
CREATE TABLE `reset_funnel_daily` (
	`day` integer NOT NULL,
	`type` text NOT NULL,
	`method` text NOT NULL,
	`reason` text NOT NULL,
	`available` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `type`, `method`, `reason`, `available`)
);
--> statement-breakpoint
CREATE TABLE `user_labels` (
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`username` text NOT NULL,
	`user_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_labels_page` ON `user_labels` (`kind`,`value`,`username`);--> statement-breakpoint
CREATE INDEX `user_labels_user` ON `user_labels` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_method_masks` (
	`user_id` text PRIMARY KEY NOT NULL,
	`mask` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_search_keys` (
	`key` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_search_keys_user_id_unique` ON `user_search_keys` (`user_id`);--> statement-breakpoint
CREATE INDEX `audit_type_seq` ON `audit_events` (`type`,`seq`);