"""The lemma tables' on-disk cache: built once, read a word at a time, optional."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qualcode.suggest import lemma_cache
from qualcode.suggest.lemma_cache import cache_path, open_lookup

TABLE = {"huset": "hus", "gik": "gå", "brugerne": "bruger"}


class Builder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, str]:
        self.calls += 1
        return dict(TABLE)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_miss_builds_the_file_and_a_hit_only_reads_it(cache_home: Path) -> None:
    build = Builder()
    first = open_lookup("da", build)
    assert build.calls == 1
    assert cache_path("da").parent == cache_home / "qualcode"
    assert cache_path("da").exists() and first.path == cache_path("da")
    second = open_lookup("da", build)
    assert build.calls == 1, "a cache hit must not build the table again"
    for lookup in (first, second):
        assert lookup.get("huset") == "hus"
        assert lookup.get("gik") == "gå"
        assert lookup.get("ukendt") is None
        assert lookup.get("ukendt", "x") == "x"
        assert "brugerne" in lookup and "ukendt" not in lookup
        assert dict(lookup.items()) == TABLE
    assert not list(cache_path("da").parent.glob("*.tmp")), "no temporary file left behind"


def test_unwritable_cache_folder_works_without_the_cache(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_home.mkdir()
    cache_home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    if os.access(cache_home, os.W_OK):  # root writes anywhere: make writing fail instead
        monkeypatch.setattr(lemma_cache, "_write", _refuse)
    try:
        build = Builder()
        lookup = open_lookup("sv", build)
        assert lookup.path is None
        assert lookup.get("huset") == "hus" and "gik" in lookup
        assert dict(lookup.items()) == TABLE
        assert not cache_path("sv").exists()
    finally:
        cache_home.chmod(stat.S_IRWXU)


def _refuse(path: Path, table: dict[str, str]) -> None:
    raise PermissionError(f"{path}: read-only")


def test_a_damaged_cache_file_is_built_again(cache_home: Path) -> None:
    path = cache_path("nb")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all")
    build = Builder()
    lookup = open_lookup("nb", build)
    assert build.calls == 1
    assert lookup.get("gik") == "gå"
    assert open_lookup("nb", build).get("huset") == "hus" and build.calls == 1


def test_a_forked_child_reads_through_its_own_connection(cache_home: Path) -> None:
    lookup = open_lookup("da", Builder())
    assert lookup.get("huset") == "hus"
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(write, (lookup.get("brugerne") or "-").encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100) == b"bruger"
    os.close(read)
    assert lookup.get("gik") == "gå"


@pytest.mark.parametrize("cached", [True, False], ids=["cache file", "in memory"])
def test_prefetching_many_forms_gives_what_single_reads_give(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    if not cached:
        monkeypatch.setattr(lemma_cache, "_write", _refuse)
    lookup = open_lookup("da", Builder())
    assert (lookup.path is not None) == cached
    monkeypatch.setattr(lemma_cache, "_PREFETCH_CHUNK", 2)  # several queries
    forms = ["huset", "ukendt", "gik", "huset", "brugerne", "andet"]
    lookup.prefetch(forms)
    assert [lookup.get(form) for form in forms] == ["hus", None, "gå", "hus", "bruger", None]
    if cached:  # everything was read by the prefetch: no single reads left
        monkeypatch.setattr(lookup, "_read", _refuse)
        assert lookup.get("gik") == "gå" and lookup.get("andet") is None


def _refuse(*_: object) -> None:
    raise OSError("not allowed here")
