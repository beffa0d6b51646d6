"""`mmskin-build review`: look at, correct and approve a dataset in a browser; corrections as data."""
