"""The CLI in-process (click's CliRunner) and once as a real process: commands and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import SEED_IDS

from newsfold.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples" / "pages"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_on_the_shipped_examples(tmp_path: Path) -> None:
    code, out, err = invoke("run", str(EXAMPLES), "--out", str(tmp_path / "out"))
    assert code == 0, err
    articles = [json.loads(x) for x in (tmp_path / "out/articles.jsonl").read_text().splitlines()]
    stories = [json.loads(x) for x in (tmp_path / "out/stories.jsonl").read_text().splitlines()]
    assert len(articles) == len([p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"}])
    for record in articles:
        for key in ("id", "title", "body", "dateline", "credit", "published", "copy_group", "story"):
            assert key in record
    story_ids = {s["id"] for s in stories}
    assert {a["story"] for a in articles if a["body"]} == story_ids
    seed_story = {a["story"] for a in articles if a["id"] in SEED_IDS}
    assert len(seed_story) == 1
    assert "stories" in err and "kept" in err
    report = json.loads((tmp_path / "out/report.json").read_text())
    assert report["pages"]["read"] == len(articles) and report["pages"]["skipped"] == 0
    # the story list is printed: the seed story's headline mentions Kim and Putin
    assert "Putin" in out


def test_missing_input_exits_1_with_one_line(tmp_path: Path) -> None:
    code, _out, err = invoke("run", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "nope" in err


def test_usage_errors_exit_2(tmp_path: Path, seed_dir: Path) -> None:
    assert invoke("run", str(seed_dir))[0] == 2  # no --out
    assert invoke("run", str(seed_dir), "--out", str(tmp_path), "--stages", "bogus")[0] == 2
    assert invoke("run", str(seed_dir), "--out", str(tmp_path), "--stages", "digest")[0] == 2
    assert invoke("no-such-command")[0] == 2


def test_ingest_stories_show(tmp_path: Path, seed_dir: Path) -> None:
    db = str(tmp_path / "news.db")
    code, _, err = invoke("ingest", str(seed_dir), "--db", db)
    assert code == 0, err
    code, out, _ = invoke("stories", "--db", db, "--json")
    assert code == 0
    stories = [json.loads(x) for x in out.splitlines()]
    assert len(stories) == 1 and sorted(stories[0]["articles"]) == sorted(SEED_IDS)
    story_id = stories[0]["id"]
    code, out, _ = invoke("show", story_id, "--db", db)
    assert code == 0 and "Putin" in out and "#" in out
    code, out, _ = invoke("show", story_id, "--db", db, "--format", "json")
    assert json.loads(out)["id"] == story_id
    code, out, _ = invoke("show", story_id, "--db", db, "--format", "html")
    assert code == 0 and "<" in out
    code, _, err = invoke("show", "s-nope", "--db", db)
    assert code == 1 and err.startswith("error: ")
    code, out, _ = invoke("stories", "--db", db)
    assert code == 0 and story_id in out


def test_stories_without_a_store_is_an_error(tmp_path: Path) -> None:
    code, _, err = invoke("stories", "--db", str(tmp_path / "missing.db"))
    assert code == 1 and "ingest" in err


def test_clean_one_page(seed_dir: Path) -> None:
    code, out, _ = invoke("clean", str(seed_dir / SEED_IDS[0]), "--json")
    assert code == 0
    article = json.loads(out)
    assert article["title"] == "Kim, Putin vow to seek closer ties"
    assert article["credit"] == "AFP"
    code, out, _ = invoke("clean", str(seed_dir / SEED_IDS[0]))
    assert code == 0 and out.startswith("# Kim, Putin")


def test_real_process_reads_stdin(tmp_path: Path, seed_dir: Path) -> None:
    records = "".join(
        json.dumps({"id": name, "text": (seed_dir / name).read_text()}) + "\n" for name in SEED_IDS
    )
    done = subprocess.run(
        [sys.executable, "-m", "newsfold", "run", "-", "--out", str(tmp_path / "out"), "-q"],
        input=records.encode(), capture_output=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    ids = [json.loads(x)["id"] for x in (tmp_path / "out/articles.jsonl").read_text().splitlines()]
    assert ids == list(SEED_IDS)
    bad = subprocess.run(
        [sys.executable, "-m", "newsfold", "run", str(tmp_path / "missing"), "--out",
         str(tmp_path / "o2")], capture_output=True, timeout=300, check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr.decode().strip().startswith("error:")
    assert "Traceback" not in bad.stderr.decode()


def test_topics_group_stories(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    assert invoke("ingest", str(EXAMPLES), "--db", db)[0] == 0
    code, out, _ = invoke("stories", "--db", db, "--topics", "--json")
    assert code == 0
    records = [json.loads(x) for x in out.splitlines()]
    assert all(r["topic"] and r["topic"].startswith("t") for r in records)
    # every story is in exactly one topic, and unrelated events are not one topic
    assert len({r["topic"] for r in records}) >= 2
    code, out, _ = invoke("stories", "--db", db, "--topics")
    assert code == 0 and out.startswith("topic t")


def test_version_says_whether_the_kernels_are_compiled() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("newsfold ")
    # every kernel newsfold knows is compiled (CI builds them): "compiled N/N"
    counts = result.output.split("kernels: compiled ", 1)[1].split()[0].split("/")
    assert counts[0] == counts[1] and int(counts[0]) >= 4
