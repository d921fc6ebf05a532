"""The regional Section 11 report: recurring recommendations across organisations (suggested by
wording, grouped by the regional lead)."""
