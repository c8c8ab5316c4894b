"""CPU time of a process tree, counted from /proc while the processes run."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from benchmarks.process_cpu import CpuMeter, cpu_seconds, tree_pids

BUSY = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\ntime.sleep(30)"


def test_the_cpu_a_child_spends_is_counted_for_its_parent_tree() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BUSY!r}])"]
    )
    try:
        meter = CpuMeter({"tree": parent.pid})
        deadline = time.monotonic() + 10
        while len(tree_pids(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        meter = CpuMeter({"tree": parent.pid})  # now with the child in the tree
        meter.start()
        time.sleep(1.5)
        per_message = meter.per_message_ms(messages=1)
    finally:
        for pid in reversed(tree_pids(parent.pid)):
            os.kill(pid, 9)
        parent.wait()
    # the busy child's 0.4 s, less what it had spent before the meter started
    assert 100.0 <= per_message["tree"] <= 1500.0
    assert CpuMeter.SERVICES in per_message


def test_a_gone_process_counts_nothing_and_no_messages_give_no_figures() -> None:
    assert cpu_seconds([2**22 + 12345]) == 0.0
    assert CpuMeter({"me": os.getpid()}).per_message_ms(messages=0) == {}
