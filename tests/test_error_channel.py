"""One error channel, once: a bug shown through ``ui.errors.show_error`` is written to the error log
exactly one time (not once by the app's logger and again by the log writer), and nowhere else."""

from __future__ import annotations

import re

from lgf_desktop.error_log import install_logging, log_path


def test_a_bug_shown_to_the_person_is_logged_once(qtbot, shown_errors, capsys) -> None:
    from lgf_desktop.ui.errors import show_error

    install_logging()  # as the app runs: the app's logger also writes to the error log
    before = log_path().read_text(encoding="utf-8") if log_path().exists() else ""
    try:
        raise RuntimeError("a bug")
    except RuntimeError as exc:
        show_error(None, exc)
    reference = re.search(r"reference (\w+)", shown_errors[-1].text).group(1)
    written = log_path().read_text(encoding="utf-8")[len(before):]
    assert written.count(reference) == 1, written
    assert written.count("builtins.RuntimeError") == 1, written
    captured = capsys.readouterr()
    assert reference not in captured.err and reference not in captured.out
