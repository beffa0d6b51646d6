"""Datasets the fault tests break: the sample textbook extracted, and taken through the whole pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mmskin_build.curation.stage import run_curate
from mmskin_build.extract.document import ExtractConfig
from mmskin_build.extract.stage import run_extract
from mmskin_build.modality.predict import Classifier, classify_dataset
from mmskin_build.sample.textbook import build_long_book, build_textbook
from mmskin_build.vqa.stage import VqaConfig, run_generate_vqa


@pytest.fixture(scope="session")
def books(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("books")
    build_textbook(directory / "sample-textbook.pdf")
    return directory


@pytest.fixture(scope="session")
def long_books(tmp_path_factory) -> Path:
    """Three generated books of 30 pages: long enough to stop a run between two of them."""
    directory = tmp_path_factory.mktemp("long-books")
    for seed in range(3):
        build_long_book(directory / f"book-{seed}.pdf", pages=30, seed=seed)
    return directory


@pytest.fixture(scope="session")
def extracted_once(books, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("extracted") / "ds"
    run_extract([books], root, ExtractConfig(dpi=72))
    return root


@pytest.fixture(scope="session")
def built_once(extracted_once, tmp_path_factory) -> Path:
    """The sample textbook through extract, classify, curate and generate-vqa (rules)."""
    root = tmp_path_factory.mktemp("built") / "ds"
    shutil.copytree(extracted_once, root)
    classify_dataset(Classifier(device="cpu"), root)
    run_curate(root)
    run_generate_vqa(root, VqaConfig(backend="rules"))
    return root


@pytest.fixture
def extracted(extracted_once, tmp_path) -> Path:
    return Path(shutil.copytree(extracted_once, tmp_path / "extracted"))


@pytest.fixture
def built(built_once, tmp_path) -> Path:
    return Path(shutil.copytree(built_once, tmp_path / "built"))
