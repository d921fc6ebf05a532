"""The self-assessment round's screen (year one): the collation grid, its filters and counts, the
distribution chart, the answer panel for challenge and moderation, and the round's actions."""
