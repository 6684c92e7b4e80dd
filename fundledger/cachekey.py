"""What beancount's pickle cache must also be keyed on, so that a cached load never differs
from an uncached one.

beancount 3.2 reuses ``.<ledger>.picklecache`` while ``compute_input_hash(options["include"])``
— md5 over each listed name and, where it exists, its ``st_mtime_ns`` and ``st_size`` — equals
the hash stored with the cached result at the end of the load that wrote it. The list checked is
the *cached* one: it names only the files that load read. So it misses

- a new file that an ``include`` glob matches (or a plain ``include`` target that did not exist
  yet), and a file that has left a glob;
- fundledger's own code, which made the cached errors (and the entries, where the plugin
  completes a valueless custom);
- a file replaced or edited keeping its mtime and size (``cp -p``, ``touch -r``, a rename of
  such a copy over it), and a file changed while the load ran (between beancount reading it
  and hashing its stat).

Folder mtimes would catch new files but cannot be used: the cache file is written into the
ledger's own folder after the hash is taken, so that folder's mtime would never match and the
cache would never hit. Instead the plugin adds one name to ``options["include"]``: a
``CacheKey``, a string that names no file and whose text is a digest of all the above as it is
now. It pickles as the recipe to compute that text, not as the text, so when beancount unpickles
a cache to check it, the key is recomputed from the disk as it is then; beancount hashes its
text along with the other names, and any difference is a cache miss.
"""

from __future__ import annotations

import glob
import hashlib
import os
from pathlib import Path
from typing import Any

from .includes import read_includes

# The code this process runs: a cache written by another installation is not reused.
RUNNING_CODE = str(Path(__file__).resolve().parent)

# A clock tick of slack for file systems that stamp writes with a coarse clock.
_SLACK_NS = 50_000_000


class CacheKey(str):
    """``"<fundledger cache key …>"``: the digest of ``recipe`` as the disk is now.

    ``recipe`` is ``(code_root, files, searches)``: the folder of fundledger's code, the
    ledger files the load read, and the glob names of their include directives.
    """

    recipe: tuple[str, tuple[str, ...], tuple[str, ...]]

    def __new__(cls, recipe: tuple[str, tuple[str, ...], tuple[str, ...]],
                salt: bytes = b"") -> CacheKey:
        key = super().__new__(cls, f"<fundledger cache key {digest(*recipe, salt=salt)}>")
        key.recipe = recipe
        return key

    def __reduce__(self) -> tuple[type[CacheKey], tuple[tuple[str, tuple[str, ...],
                                                              tuple[str, ...]]]]:
        return (CacheKey, (self.recipe,))  # unpickling recomputes the digest, without the salt


def key_for(files: list[str], code_root: str, load_started_ns: int | None = None) -> CacheKey:
    """The key for a load that read ``files``, taken from the plugin, before beancount hashes.

    A change the load may not have seen — a file written or renamed in, or a glob match that
    appeared or went, after the load began — makes the key unique (salted), so this cache is
    never reused: the next load computes afresh."""
    files = sorted(set(files))
    searches = tuple(sorted({i.search_path for i in read_includes(files)}))
    salt = b""
    if changed_during_the_load(files, searches, load_started_ns):
        salt = os.urandom(16)
    return CacheKey((code_root, tuple(files), searches), salt)


def changed_during_the_load(files: list[str], searches: tuple[str, ...],
                             started_ns: int | None) -> bool:
    read = set(files)
    for search in searches:
        for match in glob.glob(search, recursive=True):
            match = os.path.normpath(match)
            if match not in read and os.path.exists(match):
                return True  # appeared after beancount expanded the glob
    if started_ns is None:
        return False
    for name in files:
        try:
            st = os.stat(name)
        except OSError:
            return True  # went away after beancount read it
        if max(st.st_mtime_ns, st.st_ctime_ns) >= started_ns - _SLACK_NS:
            return True  # written during the load: its text may not be what was read
    return False


def digest(code_root: str, files: tuple[str, ...], searches: tuple[str, ...],
           salt: bytes = b"") -> str:
    md5 = hashlib.md5(salt)
    md5.update(RUNNING_CODE.encode("utf-8", "surrogateescape"))
    _update_code(md5, code_root)
    for name in files:
        # beancount hashes mtime and size; the inode and ctime catch a same-stat replacement
        md5.update(b"\0F" + name.encode("utf-8", "surrogateescape"))
        try:
            st = os.stat(name)
        except OSError:
            continue
        md5.update(b"%d %d" % (st.st_ino, st.st_ctime_ns))
    for search in searches:
        md5.update(b"\0G" + search.encode("utf-8", "surrogateescape"))
        for match in sorted(glob.glob(search, recursive=True)):
            md5.update(b"\0" + match.encode("utf-8", "surrogateescape"))
    return md5.hexdigest()


def _update_code(md5: Any, root: str) -> None:
    """Every file of the package (all its modules, and the templates, harmlessly), each with its
    stat — the mtime and size are what Python checks before it reuses a compiled module, the
    inode and ctime catch a reinstall — and the names of its folders, which change when a module
    is added or removed. ``__pycache__`` is left out: Python rewrites it."""
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        md5.update(b"\0D" + folder.encode("utf-8", "surrogateescape"))
        for name in sorted(names):
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            md5.update(b"\0%s %d %d %d %d" % (name.encode("utf-8", "surrogateescape"),
                                              st.st_mtime_ns, st.st_size, st.st_ino,
                                              st.st_ctime_ns))
