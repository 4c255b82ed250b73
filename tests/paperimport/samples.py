"""Where the sample papers are: ``../shared/samples/papers`` from the project root (a worktree
under ``wt/`` looks one level further up)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def samples_dir() -> Path | None:
    for base in (ROOT.parent, ROOT.parent.parent):
        folder = base / "shared" / "samples" / "papers"
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    return None


SKIP_REASON = "../shared/samples/papers is absent: the sample papers are needed for this test"
