from mmskin_build.schemas import REPO_SCHEMA_DIR, SCHEMA_MODELS, render


def test_committed_schemas_match_the_models():
    stale = [
        name
        for name in SCHEMA_MODELS
        if not (REPO_SCHEMA_DIR / f"{name}.json").is_file()
        or (REPO_SCHEMA_DIR / f"{name}.json").read_text() != render(name)
    ]
    assert not stale, f"schemas/ drifted from the models for {stale}: run `make schemas`"


def test_no_stray_schema_files():
    names = {p.stem for p in REPO_SCHEMA_DIR.glob("*.json")}
    assert names == set(SCHEMA_MODELS)
