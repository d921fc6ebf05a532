"""Multi-agency audits: setting one up with its cases, auditors and assignments, grading, moderation
and findings, auditors' packages and returns and their merge, and the demo audit."""
