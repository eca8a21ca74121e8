CREATE TABLE `directory_name_claims` (
	`sync_id` text NOT NULL,
	`username` text NOT NULL,
	`holder_id` text NOT NULL,
	PRIMARY KEY(`sync_id`, `username`),
	FOREIGN KEY (`sync_id`) REFERENCES `directory_syncs`(`id`) ON UPDATE no action ON DELETE cascade
);
