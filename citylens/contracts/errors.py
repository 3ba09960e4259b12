"""The citylens error hierarchy, shared by the edge and the center (part of the wire contract)."""


class CitylensError(Exception):
    """Base of every citylens error."""


class ConfigError(CitylensError):
    """Invalid configuration; the message names file, key path and reason."""


class SourceError(CitylensError):
    """A camera source problem."""


class SourceConnectionError(SourceError):
    """The source could not be opened or stopped delivering frames."""


class UnsupportedSourceError(SourceError):
    """The URL or file is not a video citylens can read."""


class IllegalStateTransition(SourceError):
    """A source state machine was asked for a transition it does not allow."""


class ModelLoadError(CitylensError):
    """A model could not be resolved or loaded."""


class ContractError(CitylensError):
    """A stage received input that breaks its documented contract (e.g. missing tracker_id)."""


class TransportError(CitylensError):
    """Redis / spool failure."""


class EndOfStream(SourceError):
    """A source has no more frames: the file ended or the source was stopped (``pipeline.sources``)."""
