"""The dataset store: Parquet tables plus a manifest, shared by every pipeline stage."""

from mmskin_build.store.arrow import arrow_schema, rows_to_table
from mmskin_build.store.dataset import Dataset, DatasetError, ShardWriter
from mmskin_build.store.manifest import Manifest

__all__ = ["Dataset", "DatasetError", "Manifest", "ShardWriter", "arrow_schema", "rows_to_table"]
