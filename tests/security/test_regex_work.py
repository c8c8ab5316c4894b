"""No regular expression the assistant runs on customer text takes more than linear work.

Every pattern Rasa's regex featurizer and extractor load from the training data (regexes and the lookup
table), and every compiled pattern at module level in `bot/` and `actions/`, is run on adversarial
strings: long runs of word characters, digits, emojis, dots, at-signs and spaces, alone and behind the
prefixes that lead into the later parts of the patterns ("a@", ", five", "ord", ...). CPython's `re` has
no step counter, so the work is the engine's CPU time, and what is asserted is how it grows, which does
not depend on the machine or its load: from 10,000 to 100,000 characters a linear pattern costs about
10 times as much and a quadratic one about 100 times; the bound is 25 times.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Pattern, Tuple

from rasa.nlu.utils.pattern_utils import extract_patterns
from rasa.shared.nlu.training_data.loading import load_data

from bot.shared import log_masking
from bot.shared.settings import PROJECT_ROOT
from bot.store.addresses import clean_address
from bot.store.errors import InvalidAddress

# Sizes in characters, and how much more work each step may cost: linear work grows 3x, 3x and 10x,
# quadratic 9x, 9x and 100x, cubic 27x. The small first step stops a cubic pattern within seconds,
# before a long string would take hours.
GROWTH_STEPS = ((200, 600, 6.0), (10_000, 30_000, 6.0), (10_000, 100_000, 25.0))
PREFIXES = ("", "a@", "a@b", "x@y.", ", five", "a 3", "3", "one", "ord", "#", "+1")
RUNS = ("a", "1", "\U0001f600", ".", "@", " ", "\n", "a.", "a@", ".@", "a-", "1 ", "a ")
# An ending no part of the patterns accepts makes every attempt fail at the very end, after the most work.
ENDINGS = ("", "@", "\x00")
FAMILIES_CHECKED = 3


@dataclass(frozen=True)
class Family:
    """prefix + run repeated to a length + ending: one adversarial string at any size."""

    prefix: str
    run: str
    ending: str

    def at(self, length: int) -> str:
        return self.prefix + self.run * (length // len(self.run)) + self.ending


FAMILIES = [Family(*parts) for parts in itertools.product(PREFIXES, RUNS, ENDINGS)]


def cpu_cost(use: Callable[[str], object], text: str) -> float:
    """CPU seconds of one use of a pattern: the least of three measurements, each repeated to at least 2 ms."""
    best = float("inf")
    for _ in range(3):
        runs = 0
        start = time.process_time()
        while True:
            use(text)
            runs += 1
            spent = time.process_time() - start
            if spent >= 0.002:
                break
        best = min(best, spent / runs)
    return best


def single_run_cost(use: Callable[[str], object], text: str) -> float:
    start = time.process_time()
    use(text)
    return time.process_time() - start


def uses_of(pattern: Pattern[Any]) -> Dict[str, Callable[[str], object]]:
    """The ways the code applies a pattern: scanning (search, finditer, sub) and whole-text matching."""
    # Patterns on bytes (HTTP heads) get the same strings, encoded.
    subject: Callable[[str], Any] = str.encode if isinstance(pattern.pattern, bytes) else str
    return {
        "finditer": lambda text: sum(1 for _ in pattern.finditer(subject(text))),
        "fullmatch": lambda text: pattern.fullmatch(subject(text)),
    }


def worst_families(use: Callable[[str], object]) -> List[Family]:
    """The families whose cost grows most, and those that cost most, between 200 and 600 characters."""
    costs = {
        family: (single_run_cost(use, family.at(200)), single_run_cost(use, family.at(600))) for family in FAMILIES
    }
    by_growth = sorted(FAMILIES, key=lambda family: costs[family][1] / max(costs[family][0], 1e-7))
    by_cost = sorted(FAMILIES, key=lambda family: costs[family][1])
    return list(dict.fromkeys(by_growth[-FAMILIES_CHECKED:] + by_cost[-FAMILIES_CHECKED:]))


def growth_problem(use: Callable[[str], object], family: Family, attempts: int = 3) -> Optional[str]:
    """The first growth step that exceeds its bound in every one of `attempts` measurements, if any.

    A super-linear pattern exceeds its bound every time; a linear one can exceed it once when the shared
    machine is busy, so a step counts only when fresh measurements all agree.
    """
    for shorter, longer, bound in GROWTH_STEPS:
        growths = []
        for _ in range(attempts):
            growth = cpu_cost(use, family.at(longer)) / cpu_cost(use, family.at(shorter))
            if growth <= bound:
                break
            growths.append(growth)
        else:
            return f"{min(growths):.0f}x the work from {shorter:,} to {longer:,} characters (at most {bound:.0f}x)"
    return None


def growth_problems(name: str, pattern: Pattern[Any]) -> List[str]:
    problems = []
    for use_name, use in uses_of(pattern).items():
        for family in worst_families(use):
            problem = growth_problem(use, family)
            if problem is not None:
                problems.append(f"{name} ({use_name}) on {family}: {problem}")
    return problems


def training_data_patterns() -> Iterator[Tuple[str, Pattern[str]]]:
    """As the featurizer (case-sensitive, with the lookup table) and the extractor (case-insensitive) compile them."""
    training_data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    for index, entry in enumerate(extract_patterns(training_data, use_lookup_tables=True, use_regexes=True)):
        for flags in (0, re.IGNORECASE):
            yield f"data:{entry['name']}#{index}/{flags}", re.compile(entry["pattern"], flags)


def module_patterns() -> Iterator[Tuple[str, Pattern[Any]]]:
    """Compiled patterns at module level, each once under the name of the first module holding it."""
    seen = set()
    for package_name in ("bot", "actions"):
        package = importlib.import_module(package_name)
        for module_info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if module_info.name.endswith("__main__"):
                continue
            module = importlib.import_module(module_info.name)
            for attribute, value in vars(module).items():
                if isinstance(value, re.Pattern) and id(value) not in seen:
                    seen.add(id(value))
                    yield f"{module_info.name}.{attribute}", value


def test_no_pattern_in_the_training_data_grows_faster_than_linear() -> None:
    patterns = dict(training_data_patterns())
    assert {name.split("#")[0] for name in patterns} >= {
        "data:email_shape",
        "data:rating",
        "data:order_number_shape",
        "data:product",
    }
    problems = [problem for name, pattern in patterns.items() for problem in growth_problems(name, pattern)]
    assert problems == []


def test_no_pattern_in_the_code_grows_faster_than_linear() -> None:
    patterns = dict(module_patterns())
    assert {
        "actions.handoff._EMAIL",
        "bot.store.identifiers._ORDER_NUMBER",
        "bot.store.addresses._LINE_BREAKS",
        "bot.store.identifiers.ORDER_NUMBER_IN_TEXT",
        "bot.shared.http.framing._TARGET",
    } <= set(patterns)
    # imported elsewhere too, so it may be listed under an importing module's name
    assert log_masking.EMAIL in patterns.values()
    problems = [problem for name, pattern in patterns.items() for problem in growth_problems(name, pattern)]
    assert problems == []


def test_a_typed_address_far_longer_than_any_address_is_refused_before_it_is_read() -> None:
    try:
        clean_address(" " * 50_000 + "Main Street 1, 12345 Town")
    except InvalidAddress as refused:
        assert "longer than" in str(refused)
    else:
        raise AssertionError("a 50,000-character address was accepted")
