-- Read models for a large directory (issue 13 item 5), kept by triggers: a trigger runs inside the
-- statement that fired it, so each model changes in the same transaction as the row it follows
-- (exact under concurrency) and no write path can forget it. Hand-written (drizzle-kit cannot express
-- FTS5 tables or triggers): keep this file as is when migrations are regenerated.

-- `q` (api.md: a case-insensitive substring of username or display name) through a trigram index.
-- Both columns are stored folded (searchFold), so the index is case-sensitive on folded text, exactly
-- like the instr() it stands in for. Rows are keyed by user_search_keys, not by users.rowid, which
-- VACUUM or an export/import may renumber.
CREATE VIRTUAL TABLE `users_search` USING fts5(username, display_name, tokenize = 'trigram case_sensitive 1');
--> statement-breakpoint
INSERT INTO `user_search_keys` (`user_id`) SELECT `id` FROM `users`;
--> statement-breakpoint
INSERT INTO `users_search` (rowid, username, display_name)
  SELECT k.`key`, u.`username`, u.`display_name_folded` FROM `users` u JOIN `user_search_keys` k ON k.`user_id` = u.`id`;
--> statement-breakpoint
INSERT INTO `user_labels` (`kind`, `value`, `username`, `user_id`)
  SELECT DISTINCT 'role', r.value, u.`username`, u.`id` FROM `users` u, json_each(u.`roles`) r
  UNION SELECT DISTINCT 'group', g.value, u.`username`, u.`id` FROM `users` u, json_each(u.`groups`) g;
--> statement-breakpoint
INSERT INTO `reset_funnel_daily` (`day`, `type`, `method`, `reason`, `available`, `n`)
  SELECT `at` / 86400000, `type`, coalesce(json_extract(`detail`, '$.methodType'), ''), coalesce(json_extract(`detail`, '$.reason'), ''),
    coalesce(json_extract(`detail`, '$.available'), -1), count(*)
  FROM `audit_events`
  WHERE `type` IN ('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked') AND json_valid(`detail`)
  GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
CREATE TRIGGER `users_read_models_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `user_search_keys` (`user_id`) VALUES (new.`id`);
  INSERT INTO `users_search` (rowid, username, display_name)
    VALUES ((SELECT `key` FROM `user_search_keys` WHERE `user_id` = new.`id`), new.`username`, new.`display_name_folded`);
  INSERT INTO `user_labels` (`kind`, `value`, `username`, `user_id`)
    SELECT DISTINCT 'role', value, new.`username`, new.`id` FROM json_each(new.`roles`)
    UNION SELECT DISTINCT 'group', value, new.`username`, new.`id` FROM json_each(new.`groups`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF `username`, `display_name_folded` ON `users`
  WHEN new.`username` IS NOT old.`username` OR new.`display_name_folded` IS NOT old.`display_name_folded` BEGIN
  UPDATE `users_search` SET username = new.`username`, display_name = new.`display_name_folded`
    WHERE rowid = (SELECT `key` FROM `user_search_keys` WHERE `user_id` = old.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `user_labels_update` AFTER UPDATE OF `roles`, `groups`, `username` ON `users`
  WHEN new.`roles` IS NOT old.`roles` OR new.`groups` IS NOT old.`groups` OR new.`username` IS NOT old.`username` BEGIN
  DELETE FROM `user_labels` WHERE `user_id` = old.`id`;
  INSERT INTO `user_labels` (`kind`, `value`, `username`, `user_id`)
    SELECT DISTINCT 'role', value, new.`username`, new.`id` FROM json_each(new.`roles`)
    UNION SELECT DISTINCT 'group', value, new.`username`, new.`id` FROM json_each(new.`groups`);
END;
--> statement-breakpoint
CREATE TRIGGER `users_read_models_delete` AFTER DELETE ON `users` BEGIN
  DELETE FROM `users_search` WHERE rowid = (SELECT `key` FROM `user_search_keys` WHERE `user_id` = old.`id`);
  DELETE FROM `user_search_keys` WHERE `user_id` = old.`id`;
  DELETE FROM `user_labels` WHERE `user_id` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `reset_funnel_insert` AFTER INSERT ON `audit_events`
  WHEN new.`type` IN ('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked') AND json_valid(new.`detail`) BEGIN
  INSERT INTO `reset_funnel_daily` (`day`, `type`, `method`, `reason`, `available`, `n`)
    VALUES (new.`at` / 86400000, new.`type`, coalesce(json_extract(new.`detail`, '$.methodType'), ''), coalesce(json_extract(new.`detail`, '$.reason'), ''),
      coalesce(json_extract(new.`detail`, '$.available'), -1), 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reset_funnel_delete` AFTER DELETE ON `audit_events`
  WHEN old.`type` IN ('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked') AND json_valid(old.`detail`) BEGIN
  UPDATE `reset_funnel_daily` SET `n` = `n` - 1
    WHERE `day` = old.`at` / 86400000 AND `type` = old.`type` AND `method` = coalesce(json_extract(old.`detail`, '$.methodType'), '')
      AND `reason` = coalesce(json_extract(old.`detail`, '$.reason'), '') AND `available` = coalesce(json_extract(old.`detail`, '$.available'), -1);
END;
--> statement-breakpoint
-- Registration report counters. A user's bucket is (admin?, disabled?, groups, active method types);
-- every change to one of them moves the user from one bucket to another in the statement that made it.
INSERT INTO `user_method_masks` (`user_id`, `mask`)
  SELECT u.`id`, coalesce((SELECT sum(bit) FROM (SELECT DISTINCT CASE m.`type` WHEN 'email' THEN 1 WHEN 'sms' THEN 2 WHEN 'totp' THEN 4 WHEN 'security_questions' THEN 8 ELSE 0 END AS bit
    FROM `recovery_methods` m WHERE m.`user_id` = u.`id` AND m.`status` = 'active')), 0)
  FROM `users` u;
--> statement-breakpoint
INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
  SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`, count(*)
  FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER `registration_user_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `user_method_masks` (`user_id`, `mask`) VALUES (new.`id`, 0);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    VALUES (EXISTS (SELECT 1 FROM json_each(new.`roles`) WHERE value IN ('global_admin', 'password_admin')), new.`disabled`, new.`groups`, 0, 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `registration_user_update` AFTER UPDATE OF `roles`, `groups`, `disabled` ON `users`
  WHEN new.`roles` IS NOT old.`roles` OR new.`groups` IS NOT old.`groups` OR new.`disabled` IS NOT old.`disabled` BEGIN
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE `is_admin` = EXISTS (SELECT 1 FROM json_each(old.`roles`) WHERE value IN ('global_admin', 'password_admin')) AND `disabled` = old.`disabled`
      AND `groups` = old.`groups` AND `mask` = (SELECT `mask` FROM `user_method_masks` WHERE `user_id` = old.`id`);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    SELECT EXISTS (SELECT 1 FROM json_each(new.`roles`) WHERE value IN ('global_admin', 'password_admin')), new.`disabled`, new.`groups`, `mask`, 1
    FROM `user_method_masks` WHERE `user_id` = new.`id`
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `registration_user_delete` AFTER DELETE ON `users` BEGIN
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE `is_admin` = EXISTS (SELECT 1 FROM json_each(old.`roles`) WHERE value IN ('global_admin', 'password_admin')) AND `disabled` = old.`disabled`
      AND `groups` = old.`groups` AND `mask` = (SELECT `mask` FROM `user_method_masks` WHERE `user_id` = old.`id`);
  DELETE FROM `user_method_masks` WHERE `user_id` = old.`id`;
END;
--> statement-breakpoint
-- A method change re-derives its user's types. In a cascade from the user's delete the user is gone:
-- then nothing here matches, and the mask stays the one the user's delete trigger uncounts.
CREATE TRIGGER `registration_method_insert` AFTER INSERT ON `recovery_methods` BEGIN
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE (`is_admin`, `disabled`, `groups`, `mask`) = (SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`
      FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = new.`user_id`);
  UPDATE `user_method_masks` SET `mask` = coalesce((SELECT sum(bit) FROM (SELECT DISTINCT CASE m.`type` WHEN 'email' THEN 1 WHEN 'sms' THEN 2 WHEN 'totp' THEN 4 WHEN 'security_questions' THEN 8 ELSE 0 END AS bit
    FROM `recovery_methods` m WHERE m.`user_id` = new.`user_id` AND m.`status` = 'active')), 0)
    WHERE `user_id` = new.`user_id` AND EXISTS (SELECT 1 FROM `users` WHERE `id` = new.`user_id`);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`, 1
    FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = new.`user_id`
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `registration_method_delete` AFTER DELETE ON `recovery_methods` BEGIN
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE (`is_admin`, `disabled`, `groups`, `mask`) = (SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`
      FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = old.`user_id`);
  UPDATE `user_method_masks` SET `mask` = coalesce((SELECT sum(bit) FROM (SELECT DISTINCT CASE m.`type` WHEN 'email' THEN 1 WHEN 'sms' THEN 2 WHEN 'totp' THEN 4 WHEN 'security_questions' THEN 8 ELSE 0 END AS bit
    FROM `recovery_methods` m WHERE m.`user_id` = old.`user_id` AND m.`status` = 'active')), 0)
    WHERE `user_id` = old.`user_id` AND EXISTS (SELECT 1 FROM `users` WHERE `id` = old.`user_id`);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`, 1
    FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = old.`user_id`
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `registration_method_update` AFTER UPDATE OF `status`, `type`, `user_id` ON `recovery_methods`
  WHEN new.`status` IS NOT old.`status` OR new.`type` IS NOT old.`type` OR new.`user_id` IS NOT old.`user_id` BEGIN
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE (`is_admin`, `disabled`, `groups`, `mask`) = (SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`
      FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = old.`user_id`);
  UPDATE `user_method_masks` SET `mask` = coalesce((SELECT sum(bit) FROM (SELECT DISTINCT CASE m.`type` WHEN 'email' THEN 1 WHEN 'sms' THEN 2 WHEN 'totp' THEN 4 WHEN 'security_questions' THEN 8 ELSE 0 END AS bit
    FROM `recovery_methods` m WHERE m.`user_id` = old.`user_id` AND m.`status` = 'active')), 0)
    WHERE `user_id` = old.`user_id` AND EXISTS (SELECT 1 FROM `users` WHERE `id` = old.`user_id`);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`, 1
    FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = old.`user_id`
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
  UPDATE `registration_buckets` SET `n` = `n` - 1
    WHERE (`is_admin`, `disabled`, `groups`, `mask`) = (SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`
      FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = new.`user_id`);
  UPDATE `user_method_masks` SET `mask` = coalesce((SELECT sum(bit) FROM (SELECT DISTINCT CASE m.`type` WHEN 'email' THEN 1 WHEN 'sms' THEN 2 WHEN 'totp' THEN 4 WHEN 'security_questions' THEN 8 ELSE 0 END AS bit
    FROM `recovery_methods` m WHERE m.`user_id` = new.`user_id` AND m.`status` = 'active')), 0)
    WHERE `user_id` = new.`user_id` AND EXISTS (SELECT 1 FROM `users` WHERE `id` = new.`user_id`);
  INSERT INTO `registration_buckets` (`is_admin`, `disabled`, `groups`, `mask`, `n`)
    SELECT EXISTS (SELECT 1 FROM json_each(u.`roles`) WHERE value IN ('global_admin', 'password_admin')), u.`disabled`, u.`groups`, k.`mask`, 1
    FROM `users` u JOIN `user_method_masks` k ON k.`user_id` = u.`id` WHERE u.`id` = new.`user_id`
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
