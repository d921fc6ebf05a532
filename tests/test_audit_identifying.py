"""Identifying-data checks on audit free text: warnings only, the text never altered."""

from __future__ import annotations

from datetime import date

from lgf_desktop.services.privacy.identifying import find_identifying, nhs_number_is_valid, warning_text

TODAY = date(2025, 9, 1)


def kinds(text: str) -> list[str]:
    return [w.kind for w in find_identifying(text, today=TODAY)]


def test_nhs_number_check_digit() -> None:
    assert nhs_number_is_valid("943 476 5919")
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("943 476 5918")  # wrong check digit
    assert not nhs_number_is_valid("123456789")  # nine digits


def test_valid_nhs_number_is_flagged_and_invalid_one_is_not() -> None:
    assert kinds("Seen by GP, NHS no 943 476 5919, on review.") == ["NHS number"]
    assert kinds("Reference 943 476 5918 in the case file.") == []
    found = find_identifying("x 9434765919 y", today=TODAY)[0]
    assert (found.start, found.end, found.text) == (2, 12, "9434765919")


def test_dates_that_could_be_a_date_of_birth() -> None:
    assert kinds("Child born 14/03/2016, lives with mother.") == ["date of birth"]
    assert kinds("DOB 3 March 2019") == ["date of birth"]
    assert kinds("Strategy meeting planned for 12/12/2030.") == []  # future: not a date of birth
    assert kinds("Mother's case opened 02/01/1980.") == []  # too long ago for a child, no cue
    assert kinds("dob 02/01/1980") == ["date of birth"]  # but said to be one
    assert kinds("31/02/2019") == []  # no such day


def test_postcode_phone_and_email() -> None:
    assert kinds("Family moved to BS16 1QY last year.") == ["postcode"]
    assert kinds("moved to bs161qy") == ["postcode"]
    assert kinds("Call mum on 07700 900123 or +44 117 496 0123.") == ["phone number", "phone number"]
    assert kinds("E-mail sent to jo.bloggs@example.com today.") == ["e-mail address"]


def test_ordinary_audit_text_has_no_warnings() -> None:
    text = ("Child A (age 5-9) was seen alone at school on three occasions. The plan was reviewed at 6 weeks; "
            "12 agencies attended 2 meetings. Grade: Good.")
    assert kinds(text) == []


def test_warning_text_names_the_match_and_leaves_the_text_alone() -> None:
    text = "NHS 943 476 5919"
    message = warning_text(text, today=TODAY)
    assert "'943 476 5919' looks like an NHS number" in message
    assert text == "NHS 943 476 5919"
