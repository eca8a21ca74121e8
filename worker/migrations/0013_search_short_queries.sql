CREATE INDEX `users_search_walk` ON `users` (`username`,`display_name_folded`,`id`);--> statement-breakpoint
-- A `q` of 1 or 2 characters through the trigram index too (issue 13). Hand-written below this line
-- (drizzle-kit cannot express FTS5 tables or triggers): keep it when migrations are regenerated.
-- Each column is indexed with two U+0001 after it, so every occurrence of a 1-2 character q begins a
-- trigram: the users holding q are the documents of the terms from q to q || U+10FFFF, a range the
-- fts5vocab table users_search_terms reads from the index. U+0001 is in no username
-- (isValidUsername) and instr() re-checks every candidate, so the padding never adds a match; a
-- phrase of 3 characters or more matches the same texts as before.
DROP TRIGGER `users_read_models_insert`;
--> statement-breakpoint
CREATE TRIGGER `users_read_models_insert` AFTER INSERT ON `users` BEGIN
  INSERT INTO `user_search_keys` (`user_id`) VALUES (new.`id`);
  INSERT INTO `users_search` (rowid, username, display_name)
    VALUES ((SELECT `key` FROM `user_search_keys` WHERE `user_id` = new.`id`), new.`username` || char(1, 1), new.`display_name_folded` || char(1, 1));
  INSERT INTO `user_labels` (`kind`, `value`, `username`, `user_id`)
    SELECT DISTINCT 'role', value, new.`username`, new.`id` FROM json_each(new.`roles`)
    UNION SELECT DISTINCT 'group', value, new.`username`, new.`id` FROM json_each(new.`groups`);
END;
--> statement-breakpoint
DROP TRIGGER `users_search_update`;
--> statement-breakpoint
CREATE TRIGGER `users_search_update` AFTER UPDATE OF `username`, `display_name_folded` ON `users`
  WHEN new.`username` IS NOT old.`username` OR new.`display_name_folded` IS NOT old.`display_name_folded` BEGIN
  UPDATE `users_search` SET username = new.`username` || char(1, 1), display_name = new.`display_name_folded` || char(1, 1)
    WHERE rowid = (SELECT `key` FROM `user_search_keys` WHERE `user_id` = old.`id`);
END;
--> statement-breakpoint
DELETE FROM `users_search`;
--> statement-breakpoint
INSERT INTO `users_search` (rowid, username, display_name)
  SELECT k.`key`, u.`username` || char(1, 1), u.`display_name_folded` || char(1, 1) FROM `users` u JOIN `user_search_keys` k ON k.`user_id` = u.`id`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `users_search_terms` USING fts5vocab(`users_search`, instance);
