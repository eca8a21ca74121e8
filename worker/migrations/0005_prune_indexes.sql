CREATE INDEX `rate_counters_window_end` ON `rate_counters` (`window_end`);--> statement-breakpoint
CREATE INDEX `resets_expires` ON `resets` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_expires` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sign_in_lockouts_updated` ON `sign_in_lockouts` (`updated_at`);--> statement-breakpoint
CREATE INDEX `verification_codes_expires` ON `verification_codes` (`expires_at`);