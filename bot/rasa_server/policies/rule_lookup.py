"""RulePolicy's search for matching rules, stopped once no further turn can rule anything out.

Rasa 3.6's `RulePolicy._get_possible_keys` checks every rule against every turn of the conversation, back to
its first, though a rule only ever constrains as many turns as it has states: from the turn past the
longest remaining rule on, every check passes and the set stays as it is. The search here stops there (or
when no rule is left), with Rasa's own check for each turn it does look at, so it finds the same rules;
on a conversation of a few turns it looks at a fraction of the turns.
"""

from __future__ import annotations

from typing import Any, Dict, List, Set, Text


def _longest_rule(policy: Any, keys: Set[Text]) -> int:
    return max((len(policy._rule_key_to_state(key)) for key in keys), default=0)


def possible_keys(policy: Any, lookup: Dict[Text, Text], states: List[Any]) -> Set[Text]:
    """The rule keys of `lookup` that apply to `states`, as `RulePolicy._get_possible_keys` finds them."""
    keys = set(lookup.keys())
    longest = _longest_rule(policy, keys)
    for turn, state in enumerate(reversed(states)):
        if turn >= longest or not keys:
            break
        keys = {key for key in keys if policy._is_rule_applicable(key, turn, state)}
    return keys


def install() -> None:
    """Makes every RulePolicy of this process search its rules this way."""
    from rasa.core.policies.rule_policy import RulePolicy

    def _get_possible_keys(self: Any, lookup: Dict[Text, Text], states: List[Any]) -> Set[Text]:
        return possible_keys(self, lookup, states)

    RulePolicy._get_possible_keys = _get_possible_keys  # type: ignore[method-assign]
