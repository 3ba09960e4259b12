"""citylens: smart-city video + language analytics (CLI package; the stages live in pipeline/)."""

__version__ = "0.1.0"
