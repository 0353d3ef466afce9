"""Proposal notifications read naturally in each language."""

from __future__ import annotations

from flask import Flask

from carenet.notifications.messages import render


def test_who_answered_is_a_word_of_the_readers_language(app_ctx: Flask) -> None:
    data = {"reference": "#7", "by": "family"}
    assert render("proposal.accepted", data, "en").body == (
        "Proposal #7 was accepted by the family."
    )
    italian = render("proposal.accepted", data, "it").body
    assert "family" not in italian and "#7" in italian


def test_withdrawn_and_interview_have_their_own_message(app_ctx: Flask) -> None:
    withdrawn = render("proposal.withdrawn", {"reference": "#7"}, "en")
    assert withdrawn.title == "Proposal withdrawn"
    interview = render(
        "proposal.interview", {"reference": "#7", "interview_at": "2027-01-05T10:00:00+01:00"}, "en"
    )
    assert "#7" in interview.body and "2027" in interview.body
