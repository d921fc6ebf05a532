"""The shell's pages and forms: welcome, rounds, a round (details, template, panel), a review,
organisations and people, and the small dialogs (preferences, a record's change history)."""
