"""Agreement across annotators of the same task: checked against hand-computed figures."""

from __future__ import annotations

from collections import Counter

import pytest

from prolific_taskbuilder_mcp.client.models import TaskResponse
from prolific_taskbuilder_mcp.summaries.instructions import Option, Question
from prolific_taskbuilder_mcp.summaries.responses import ResponseAggregator, agreement, render_summary_text

# Fleiss (1971) as reproduced on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories.
# P-bar = 0.378, Pe = 0.213, kappa = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def _tasks(table: list[list[int]]) -> list[Counter[int]]:
    return [Counter({category: n for category, n in enumerate(row) if n}) for row in table]


def test_fleiss_kappa_matches_the_published_worked_example() -> None:
    result = agreement(_tasks(FLEISS_TABLE))
    assert result is not None
    assert result.fleiss_kappa == pytest.approx(0.210, abs=0.001)
    assert result.mean_pairwise_agreement == pytest.approx(0.378, abs=0.001)
    assert result.tasks_compared == 10
    assert result.answers_per_task == "14"
    assert result.unanimous_share == pytest.approx(0.1)  # subject 1 only


def test_a_small_case_computed_by_hand() -> None:
    # 3 tasks x 2 answers: (a,a), (a,b), (b,b). P = (1 + 0 + 1) / 3 = 2/3; shares a = b = 1/2, Pe = 1/2;
    # kappa = (2/3 - 1/2) / (1 - 1/2) = 1/3.
    result = agreement(_tasks([[2, 0], [1, 1], [0, 2]]))
    assert result is not None
    assert result.fleiss_kappa == pytest.approx(1 / 3, abs=1e-4)
    assert result.unanimous_share == pytest.approx(2 / 3, abs=1e-4)


def test_kappa_is_not_computed_when_tasks_have_different_numbers_of_answers() -> None:
    result = agreement(_tasks([[2, 0], [1, 2], [0, 1]]))  # the last task has one answer: left out
    assert result is not None
    assert result.tasks_compared == 2
    assert result.answers_per_task == "2-3"
    assert result.fleiss_kappa is None
    assert result.kappa_note is not None
    assert "2 to 3 answers" in result.kappa_note
    assert result.mean_pairwise_agreement == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)


def test_kappa_is_not_computed_when_every_answer_is_the_same() -> None:
    result = agreement(_tasks([[3], [3]]))
    assert result is not None
    assert result.fleiss_kappa is None
    assert result.unanimous_share == 1.0


QUESTION = Question(
    id="q-label",
    type="multiple_choice",
    text="Sentiment?",
    page=1,
    answer_limit=1,
    options=[Option(label="Positive", value="pos"), Option(label="Negative", value="neg")],
)
UNANSWERED = Question(id="q-video", type="free_text", text="Narrate the video", page=1)


def _response(task: str, participant: str, value: str) -> TaskResponse:
    return TaskResponse.model_validate(
        {
            "id": f"{task}-{participant}",
            "participant_id": participant,
            "task_id": task,
            "response": {"instruction_id": "q-label", "type": "multiple_choice", "answer": [{"value": value}]},
        }
    )


def test_the_summary_reports_agreement_per_question_and_every_question_even_unanswered() -> None:
    aggregator = ResponseAggregator()
    answers = {"t1": ["pos", "pos"], "t2": ["pos", "neg"], "t3": ["neg", "neg"]}
    page = [_response(task, f"p{n}", value) for task, values in answers.items() for n, value in enumerate(values)]
    aggregator.add_page(page, 0, len(page))
    summary = aggregator.result("batch", "b", [QUESTION, UNANSWERED])
    label, video = summary.questions
    assert label.agreement is not None
    assert label.agreement.fleiss_kappa == pytest.approx(1 / 3, abs=1e-4)
    assert video.instruction_id == "q-video"
    assert video.answers == 0
    text = render_summary_text(summary)
    assert "Fleiss' kappa 0.33" in text
    assert "Narrate the video: 0 answers" in text
