"""Multi-panel figures: the panels (separate images, or sub-images of one composite picture split at its
gutters), their letters, and the sub-captions that describe them."""

from __future__ import annotations

from mmskin_build.extract.panels.letters import PanelBox, assign_letters
from mmskin_build.extract.panels.search import find_panels, needs_pixels

__all__ = ["PanelBox", "assign_letters", "find_panels", "needs_pixels"]
