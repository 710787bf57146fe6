"""The build prompt: the whole path from data to a READY batch, naming the tools (served with --allow-writes)."""

from typing import Annotated

from pydantic import Field

from ._common import PromptSpec

Goal = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2000,
        description="What the annotators should do, e.g. 'rate 500 model replies for helpfulness and say why'",
    ),
]


def build_annotation_batch(goal: Goal) -> str:
    """Walk through data -> dataset -> batch -> questions -> setup -> wait -> where to publish, with consent."""
    return (
        "Build an AI Task Builder batch on Prolific for this goal (the user's words, quoted):\n"
        f"<goal>{goal.replace('<', '&lt;')}</goal>\n\n"
        "Every write below asks the user before it changes anything; if a tool returns a `confirmation` instead, "
        "show the user the change and call again with that confirmation only if they agree. Never guess ids.\n"
        "1. Data. Ask where the items come from: records the user pastes (at most 1,000 at once) or a local .csv "
        "or .jsonl file (file_path; on a server over HTTP, inline records only). Keys starting META_ or metadata_ "
        "are kept out of participants' sight; every other key is shown. Agree the fields with the user.\n"
        "2. Dataset. create_dataset(name, records=... or file_path=..., fields=... if the types are not all text). "
        "Read the import result: if records were rejected, show the reasons and fix them (add_datapoints adds "
        "corrected records, up to 1,000 per call).\n"
        "3. Questions. Turn the goal into one to five questions: multiple_choice for ratings and labels (pick 1, "
        "or -1 for any number), free_text for reasons (with min/max length), multiple_choice_with_free_text for "
        "a label with a reason per option, free_text_with_unit for quantities, file_upload for files. Show them "
        "to the user before creating anything.\n"
        "4. Batch. create_batch(name, dataset_id, task_name, task_introduction, task_steps, questions). Write the "
        "introduction and steps for participants: short, concrete, with what a good answer looks like.\n"
        "5. Setup. setup_batch(batch_id, tasks_per_group) builds one task per datapoint and waits for READY "
        "(progress is reported). If it ends in ERROR, use get_batch and get_dataset to say why.\n"
        "6. Wait. If setup_batch returned before READY, call wait_for_batch(batch_id).\n"
        "7. Publish. This server never publishes or spends money: give the user the link from setup_batch's "
        "result and tell them to create a study in the Prolific app with this batch as its AI Task Builder data "
        "collection. Later, summarize_batch_responses shows what annotators answered.\n"
        "End by listing the ids made (dataset, batch) and what is left for the user to do."
    )


PROMPTS = (PromptSpec(build_annotation_batch, "Build an annotation batch"),)
