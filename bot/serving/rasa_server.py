"""`python -m bot.serving.rasa_server run ...`: Rasa's own command line, with the serving fixes installed first."""
from __future__ import annotations

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Takes exactly the arguments `python -m rasa` takes."""
    from bot.serving import action_response_validation

    action_response_validation.install()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
