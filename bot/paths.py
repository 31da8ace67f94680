"""Where the content directory lives, for editable and regular installs alike."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def content_dir() -> Path:
    """The shipped content: inside the package when installed, ./content in a checkout."""
    installed = _PACKAGE / "_content"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "content"
