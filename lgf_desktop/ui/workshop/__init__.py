"""The live workshop window: outline, question and response editor, clock, attendance, notes."""
