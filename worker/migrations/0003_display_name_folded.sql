ALTER TABLE `users` ADD `display_name_folded` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Existing rows: SQLite folds A–Z only; the worker writes the full Unicode fold from now on, and an
-- admin re-saving a display name refolds it.
UPDATE `users` SET `display_name_folded` = lower(`display_name`);
