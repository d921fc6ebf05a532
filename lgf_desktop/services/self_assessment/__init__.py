"""Year one of the Section 11 cycle: the written self-assessment every organisation completes against
the Section 11 standards — standards and scale per round, the forms' returns, collation, moderation,
carry-forward to the next cycle and the themes it suggests for the peer reviews (no Qt)."""
