-- Concurrent saves could store two question sets for one user; keep the most recently saved one.
DELETE FROM `recovery_methods` WHERE `type` = 'security_questions' AND `id` NOT IN (
  SELECT `id` FROM (
    SELECT `id`, row_number() OVER (PARTITION BY `user_id` ORDER BY `verified_at` DESC, `created_at` DESC, `id` DESC) AS `n`
    FROM `recovery_methods` WHERE `type` = 'security_questions'
  ) WHERE `n` = 1
);--> statement-breakpoint
CREATE UNIQUE INDEX `recovery_methods_one_question_set` ON `recovery_methods` (`user_id`) WHERE type = 'security_questions';