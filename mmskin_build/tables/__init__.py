"""Row models of every dataset table. `schemas/*.json` are generated from these (see `mmskin_build.schemas`)."""

from pydantic import BaseModel

from mmskin_build.tables.common import ErrorRecord, ImageData
from mmskin_build.tables.curate import DemographicsQA, DroppedRecord, PairRecord
from mmskin_build.tables.extract import FigureRecord, ImageRecord, Panel
from mmskin_build.tables.review import CorrectionRecord
from mmskin_build.tables.vqa import VqaDroppedRecord, VqaRecord

# Table name -> row model. A stage writes `DATASET/<table>/part-NNNNN.parquet` with exactly this schema.
TABLES: dict[str, type[BaseModel]] = {
    "figures": FigureRecord,
    "images": ImageRecord,
    "errors": ErrorRecord,
    "pairs": PairRecord,
    "demographics": DemographicsQA,
    "dropped": DroppedRecord,
    "vqa": VqaRecord,
    "vqa_dropped": VqaDroppedRecord,
    "corrections": CorrectionRecord,
}

# Table name -> the column whose values are unique within the table (`validate` checks it).
TABLE_KEYS: dict[str, str] = {
    "figures": "figure_id",
    "images": "image_id",
    "pairs": "image_id",
    "demographics": "qa_id",
    "dropped": "image_id",
    "vqa": "qa_id",
    "vqa_dropped": "qa_id",
    "corrections": "correction_id",
}

__all__ = [
    "TABLES",
    "TABLE_KEYS",
    "CorrectionRecord",
    "DemographicsQA",
    "DroppedRecord",
    "ErrorRecord",
    "FigureRecord",
    "ImageData",
    "ImageRecord",
    "PairRecord",
    "Panel",
    "VqaDroppedRecord",
    "VqaRecord",
]
