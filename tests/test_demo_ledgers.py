"""The demo ledgers in ledgers/ are multi-file fund ledgers that check clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import fundledger

LEDGERS = Path(__file__).resolve().parent.parent / "ledgers"
DEMOS = sorted(LEDGERS.glob("*/main.beancount"))


def test_the_four_funds_of_the_source_documents_are_there():
    assert {p.parent.name for p in DEMOS} >= {"county", "prefecture", "taxbureau", "district"}


@pytest.fixture(scope="module", params=DEMOS, ids=lambda p: p.parent.name)
def demo(request):
    return fundledger.load(request.param)


def test_demo_checks_clean(demo):
    assert [e.message for e in demo.errors] == []
    assert demo.warnings == []


def test_demo_is_several_files_with_chinese_names(demo):
    assert len(demo.source_files) > 1
    assert demo.title and not demo.title.isascii()
    named = [a for a in demo.state.accounts.values() if a.title]
    assert len(named) == len(demo.state.accounts)


def test_demo_has_members_and_relief(demo):
    assert len(demo.members) >= 10
    assert demo.relief


def test_bean_check_agrees(demo):
    bean_check = Path(sys.executable).with_name("bean-check")
    env = dict(os.environ, BEANCOUNT_DISABLE_LOAD_CACHE="1")
    result = subprocess.run([str(bean_check), str(demo.path)], capture_output=True, text=True,
                            env=env, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
