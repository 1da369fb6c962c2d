"""Benchmark: the workbench on a project of 100,000 segments, measured with the pilot.

The project is generated straight into the database (bulk inserts through the repository
functions): one document of 2,000 turns and enough documents of 1,000 turns to reach the
segment count, each turn one segment, its text drawn from the sample corpus's real turns,
with suggestions on about a third of the participant turns. Reported:

- start: from App start to the first usable screen (the documents table filled),
- open: from Enter on the 2,000-turn document to the first frame showing its turns,
- next turn: from the key press (j) to the frame showing the cursor on the next turn, median
  of many presses; also to the frame with the side panel redrawn for that turn, the pilot's
  own round trip per press, and that of an unbound key (the pilot's fixed waits for an
  idle CPU, not the app's work).

Targets: start < 1.5 s, open < 0.5 s, next turn < 50 ms.

    python bench/bench_tui.py [--segments 100000] [--presses 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BIG = "aaa-big-2000.txt"  # sorts first in the documents table
BIG_TURNS = 2000
TURNS_PER_DOCUMENT = 1000
CODER = "bench"


def turn_pool() -> dict[str, list[tuple[str, str, list[str]]]]:
    """Real turns of the sample corpus per language: (speaker role, text, gold codes)."""
    pools: dict[str, list[tuple[str, str, list[str]]]] = {}
    for gold in sorted((REPO / "corpora").rglob("*.gold.jsonl")):
        language = gold.name[:2]
        for line in gold.read_text(encoding="utf-8").splitlines():
            turn = json.loads(line)
            role = "interviewer" if turn["speaker"] in {"I", "Moderator", "M"} else "participant"
            pools.setdefault(language, []).append((role, turn["text"], list(turn["codes"])))
    return pools


def build(root: Path, segments: int, seed: int = 11) -> Path:
    """Make the project in `root / project`; returns its folder."""
    from sqlmodel import Session

    from qualcode.codebook.reconcile import use_codebooks
    from qualcode.services import Project
    from qualcode.storage import codings_repo, repository
    from qualcode.storage.tables import DocumentRow

    rng = random.Random(seed)
    folder = root / "project"
    project = Project.create(folder)
    use_codebooks(project.engine, [REPO / "codebooks" / "impact.yaml"])
    known = {code for code in _code_ids(project.engine)}
    pools = turn_pool()
    languages = sorted(pools)
    sizes = [BIG_TURNS]
    while sum(sizes) < segments:
        sizes.append(min(TURNS_PER_DOCUMENT, segments - sum(sizes)))
    for index, size in enumerate(sizes):
        language = languages[index % len(languages)]
        name = BIG if index == 0 else f"{language}-{index:04d}.txt"
        questions = [t for t in pools[language] if t[0] == "interviewer"]
        answers = [t for t in pools[language] if t[0] == "participant"]
        turns, texts, codes = [], [], []
        offset = 0
        for number in range(1, size + 1):
            role, text, gold = rng.choice(questions if number % 2 else answers)
            speaker = "I" if role == "interviewer" else "B"
            start = offset + len(speaker) + 2
            turns.append(
                {
                    "number": number,
                    "speaker": speaker,
                    "role": role,
                    "start": start,
                    "end": start + len(text),
                    "text": text,
                    "start_time": None,
                    "end_time": None,
                }
            )
            texts.append(f"{speaker}: {text}")
            codes.append([c for c in gold if c in known])
            offset = start + len(text) + 2
        body = "\n\n".join(texts)
        with Session(project.engine) as session, session.begin():
            row = DocumentRow(
                name=name,
                content_hash=f"bench-{index}",
                format="txt",
                language=language,
                text=body,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            segments_per_turn = [
                [{"number": 1, "start": t["start"], "end": t["end"], "text": t["text"]}]
                for t in turns
            ]
            ids = repository.insert_turns_and_segments(session, row.id, turns, segments_per_turn)
            suggestions: list[codings_repo.SuggestionRow] = [
                (
                    row.id,
                    ids[turn["number"]],
                    turn["start"],
                    turn["end"],
                    code,
                    round(rng.uniform(0.3, 0.95), 3),
                    "terms",
                    "matched a term (bench)",
                )
                for turn, gold in zip(turns, codes)
                if turn["role"] == "participant" and gold
                for code in gold[:3]
            ]
            codings_repo.replace_suggestions_of_documents(session, [row.id], CODER, suggestions)
    project.close()
    return folder


def _code_ids(engine: Any) -> list[str]:
    from qualcode.coding import CodingService

    return list(CodingService(engine, CODER).codes())


async def measure(folder: Path, presses: int) -> dict[str, float]:
    """Drive the app with the pilot and time the three moments."""
    from textual.widgets import DataTable

    from qualcode.services import Project
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.screens.coding import CodingScreen
    from qualcode.tui.screens.documents import DocumentsScreen
    from qualcode.tui.widgets.turn_panel import TurnPanel
    from qualcode.tui.widgets.turn_view import TurnView

    laid_out: list[float] = []  # the transcript received its turns and measured them
    painted: list[float] = []  # the transcript drew a line (with turns in it)
    panel_painted: list[float] = []  # the side panel drew a line
    frames: list[float] = []  # a frame went out to the terminal
    render_line = TurnView.render_line
    panel_render_line = TurnPanel.render_line
    set_turns = TurnView.set_turns
    display = QualcodeApp._display

    def timed_set_turns(self: TurnView, *args: Any, **kwargs: Any) -> None:
        set_turns(self, *args, **kwargs)
        laid_out.append(time.perf_counter())

    def timed_render_line(self: TurnView, y: int) -> Any:
        if self.turns:
            painted.append(time.perf_counter())
        return render_line(self, y)

    def timed_panel_render_line(self: TurnPanel, y: int) -> Any:
        panel_painted.append(time.perf_counter())
        return panel_render_line(self, y)

    def timed_display(self: QualcodeApp, screen: Any, renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    TurnView.render_line = timed_render_line  # type: ignore[method-assign]
    TurnPanel.render_line = timed_panel_render_line  # type: ignore[method-assign]
    TurnView.set_turns = timed_set_turns  # type: ignore[method-assign]
    QualcodeApp._display = timed_display  # type: ignore[method-assign]

    async def first_paint_after(
        start: float, *sources: list[float], timeout: float = 10.0
    ) -> float:
        """Seconds from `start` to the first frame out holding what every source redrew."""
        sources = sources or (painted,)
        while time.perf_counter() - start < timeout:
            drawn = [[t for t in source if t >= start] for source in sources]
            if all(drawn):
                last = max(times[0] for times in drawn)
                shown = [t for t in frames if t >= last]
                if shown:
                    return shown[0] - start
            await asyncio.sleep(0.0005)
        raise TimeoutError("the screen was not redrawn")

    app = QualcodeApp(CODER, lambda: Project.open(str(folder)), folder=folder)
    results: dict[str, float] = {}
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            screen = app.screen
            if (
                isinstance(screen, DocumentsScreen)
                and screen.loaded
                and screen.query_one(DataTable).row_count
            ):
                break
            await asyncio.sleep(0.001)
        results["start_s"] = time.perf_counter() - started
        results["documents"] = len(app.documents)
        await pilot.pause()
        painted.clear()
        before = time.perf_counter()
        await pilot.press("enter")
        results["open_s"] = await first_paint_after(before)
        results["open_data_s"] = laid_out[0] - before
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        results["turns"] = len(screen.view.turns)
        await pilot.pause(0.3)
        latencies, complete, round_trips, baseline = [], [], [], []
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("j")
            round_trips.append(time.perf_counter() - start)
            latencies.append(await first_paint_after(start))
            complete.append(await first_paint_after(start, painted, panel_painted))
        for _ in range(max(presses // 3, 5)):
            start = time.perf_counter()
            await pilot.press("f12")  # bound to nothing: what the pilot itself costs
            baseline.append(time.perf_counter() - start)
        results["next_turn_ms"] = statistics.median(latencies) * 1000
        results["next_turn_p90_ms"] = sorted(latencies)[int(len(latencies) * 0.9)] * 1000
        results["with_panel_ms"] = statistics.median(complete) * 1000
        results["with_panel_p90_ms"] = sorted(complete)[int(len(complete) * 0.9)] * 1000
        results["pilot_press_ms"] = statistics.median(round_trips) * 1000
        results["pilot_unbound_key_ms"] = statistics.median(baseline) * 1000
        results["cursor"] = screen.view.cursor
        await app.action_quit()
    TurnView.render_line = render_line  # type: ignore[method-assign]
    TurnPanel.render_line = panel_render_line  # type: ignore[method-assign]
    TurnView.set_turns = set_turns  # type: ignore[method-assign]
    QualcodeApp._display = display  # type: ignore[method-assign]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project here")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="qualcode-bench-tui-"))
    folder = root / "project"
    if not (folder / "qualcode.toml").is_file():
        began = time.perf_counter()
        build(root, args.segments)
        print(f"built {args.segments} segments in {time.perf_counter() - began:.1f} s: {folder}")
    try:
        results = asyncio.run(measure(folder, args.presses))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"documents: {results['documents']:.0f}, big document: {results['turns']:.0f} turns")
    print(f"start to first usable screen: {results['start_s']:.3f} s   (target < 1.5 s)")
    print(
        f"open the 2,000-turn document:  {results['open_s']:.3f} s   (target < 0.5 s; "
        f"read and measured after {results['open_data_s']:.3f} s)"
    )
    print(
        f"next turn (key to frame):      {results['next_turn_ms']:.1f} ms median, "
        f"{results['next_turn_p90_ms']:.1f} ms p90   (target < 50 ms)"
    )
    print(
        f"  with the side panel redrawn: {results['with_panel_ms']:.1f} ms median, "
        f"{results['with_panel_p90_ms']:.1f} ms p90"
    )
    print(
        f"  pilot round trip per press:  {results['pilot_press_ms']:.1f} ms "
        f"(an unbound key: {results['pilot_unbound_key_ms']:.1f} ms, the pilot's own waits)"
    )


if __name__ == "__main__":
    main()
