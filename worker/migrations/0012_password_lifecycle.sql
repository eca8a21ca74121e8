ALTER TABLE `resets` ADD `purpose` text DEFAULT 'reset' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `expiry_notice_for` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `expiry_notice_days` integer;--> statement-breakpoint
-- The reset report's daily counters (0009) also count password expiry (issue 15): `password.expired`
-- rows, and password changes made inside the notice window (`beforeExpiry` in the detail, kept in the
-- `reason` column as 'before_expiry'). No row of either kind exists before this migration.
DROP TRIGGER `reset_funnel_insert`;--> statement-breakpoint
DROP TRIGGER `reset_funnel_delete`;--> statement-breakpoint
CREATE TRIGGER `reset_funnel_insert` AFTER INSERT ON `audit_events`
  WHEN json_valid(new.`detail`) AND (new.`type` IN ('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked', 'password.expired')
    OR (new.`type` = 'password.changed' AND json_extract(new.`detail`, '$.beforeExpiry'))) BEGIN
  INSERT INTO `reset_funnel_daily` (`day`, `type`, `method`, `reason`, `available`, `n`)
    VALUES (new.`at` / 86400000, new.`type`, coalesce(json_extract(new.`detail`, '$.methodType'), ''),
      coalesce(json_extract(new.`detail`, '$.reason'), CASE WHEN json_extract(new.`detail`, '$.beforeExpiry') THEN 'before_expiry' END, ''),
      coalesce(json_extract(new.`detail`, '$.available'), -1), 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `reset_funnel_delete` AFTER DELETE ON `audit_events`
  WHEN json_valid(old.`detail`) AND (old.`type` IN ('reset.started', 'reset.challenge_sent', 'reset.verify_failed', 'reset.verified', 'reset.completed', 'reset.blocked', 'password.expired')
    OR (old.`type` = 'password.changed' AND json_extract(old.`detail`, '$.beforeExpiry'))) BEGIN
  UPDATE `reset_funnel_daily` SET `n` = `n` - 1
    WHERE `day` = old.`at` / 86400000 AND `type` = old.`type` AND `method` = coalesce(json_extract(old.`detail`, '$.methodType'), '')
      AND `reason` = coalesce(json_extract(old.`detail`, '$.reason'), CASE WHEN json_extract(old.`detail`, '$.beforeExpiry') THEN 'before_expiry' END, '')
      AND `available` = coalesce(json_extract(old.`detail`, '$.available'), -1);
END;
