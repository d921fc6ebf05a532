"""Documents the app writes: the Section 11 report and question template (Word), shared Word
helpers (``docx_common``) and the export preview. No Qt here."""
