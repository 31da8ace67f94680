"""Ids shared by the triage graph, the condition library and the stretch routines.

One list, so a condition or caution added here is checked everywhere at once.
"""

from typing import Literal, get_args

# The possible explanations a check can give, each with a page in the library.
ConditionId = Literal[
    "nonspecific",
    "strain",
    "osteoarthritis",
    "inflammatory",
    "rheumatoid",
    "spondylolisthesis",
    "stenosis",
    "occupational",
    "sciatica",
]
CONDITION_IDS: tuple[str, ...] = get_args(ConditionId)

# Cautions a check can raise and a stretch can be unsuitable for. `acute`: the pain began
# less than two weeks ago; `pregnancy`: the person is pregnant.
AvoidTag = Literal[
    "osteoporosis", "spondylolisthesis", "stenosis", "nerve_pain", "acute", "pregnancy"
]
AVOID_TAGS: tuple[str, ...] = get_args(AvoidTag)
