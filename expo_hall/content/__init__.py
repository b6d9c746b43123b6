"""Rules for content from outside: paths confined to their folder, image limits, text cleaning (plain Python)."""
