"""Daily questions for subscribed channels: choosing, claiming, posting, revealing, scheduling."""
