"""The dataset store: Parquet tables plus a manifest, shared by every pipeline stage."""

from mmskin_build.store.arrow import arrow_schema, rows_to_table
from mmskin_build.store.dataset import Dataset, ShardWriter
from mmskin_build.store.errors import DatasetBusy, DatasetError
from mmskin_build.store.lock import dataset_lock
from mmskin_build.store.manifest import Manifest

__all__ = [
    "Dataset", "DatasetBusy", "DatasetError", "Manifest", "ShardWriter", "arrow_schema", "dataset_lock", "rows_to_table",
]
