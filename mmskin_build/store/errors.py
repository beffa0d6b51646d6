"""Errors of the dataset store."""


class DatasetError(Exception):
    """A dataset directory that cannot be read or written as asked."""


class DatasetBusy(DatasetError):
    """Another process holds the dataset's lock for longer than the caller would wait."""
