"""Rules stage: confirmed tracks → incident revisions (opened/updated/closed), per-minute line counts, crossings."""

from pipeline.rules.engine import RuleEngine, RuleOutput
from pipeline.rules.lines import Crossing

__all__ = ["Crossing", "RuleEngine", "RuleOutput"]
