"""The demo command line: `python -m bot demo-data`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.__main__ import main as bot_main
from bot.demo import showcase
from bot.demo.command import run_demo
from bot.shared.database import create_store_engine
from bot.store.tables import orders


def _order_count(url: str) -> int:
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(orders)).scalar_one()
    finally:
        engine.dispose()


def test_the_command_builds_and_prints_the_showcase(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'folder' / 'shop.db'}"
    assert bot_main(["demo-data", "--database-url", url, "--today", "2026-11-20"]) == 0
    printed = capsys.readouterr().out
    assert "2000 orders" in printed and "2026-11-20" in printed
    for order in showcase.SHOWCASE_ORDERS:
        assert order.number in printed and order.customer_email in printed
    assert _order_count(url) == 2000


def test_a_second_run_leaves_the_store_alone(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    assert bot_main(["demo-data", "--database-url", url]) == 0
    capsys.readouterr()
    assert bot_main(["demo-data", "--database-url", url]) == 0
    assert "left as it is" in capsys.readouterr().out
    assert bot_main(["demo-data", "--database-url", url, "--force"]) == 0
    assert "Demo store built" in capsys.readouterr().out


def test_bot_command_reads_database_url_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'shop.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert bot_main(["demo-data", "--today", "2026-11-20"]) == 0
    assert "ORD-100001" in capsys.readouterr().out
    assert _order_count(url) == 2000


def test_an_unreachable_database_is_reported_without_a_traceback() -> None:
    out = io.StringIO()
    assert run_demo("postgresql://postgres:secret@127.0.0.1:9/test", False, None, out) == 1
    printed = out.getvalue()
    assert "Could not build the demo store" in printed
    assert "secret" not in printed and "Traceback" not in printed


def test_a_malformed_date_is_refused_by_the_parser(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        bot_main(["demo-data", "--database-url", f"sqlite:///{tmp_path / 'x.db'}", "--today", "yesterday"])
    assert exit_info.value.code == 2
