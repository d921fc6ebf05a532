"""Domain operations, no Qt: one package per feature in the users' words, and the few modules every
feature shares.

- ``review/``: Section 11 rounds, their question template, the live workshop, responses and their
  earlier versions, report numbering, panel members' notes;
- ``audit/``: multi-agency audits: set-up and cases, grading, findings, details, auditors' exchange
  files and the merge, the demo audit;
- ``self_assessment/``: year one of the cycle: standards and scale, the organisations' forms and
  returns, collation, moderation, carry-forward and suggested themes;
- ``tracker/``: the recommendation tracker: rows and summary, status changes and notes, history,
  source kinds;
- ``region/``: regional collation: a round as an exchange file, rounds imported from other
  partnerships (read-only), one organisation across partnerships;
- ``privacy/``: identifying data about a child: the detector, children's names, the guard on what
  leaves the machine, removal everywhere.

Shared: ``editing`` (the forms' small edits), ``fields`` (the checks a typed value goes through),
``stale``, ``undo_delete``, ``listing``, ``recovery``, ``imported_files``, ``partnership``, ``demo``.
"""
