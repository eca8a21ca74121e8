ALTER TABLE `recovery_methods` ADD `question_draw` text;--> statement-breakpoint
ALTER TABLE `resets` DROP COLUMN `question_draw`;