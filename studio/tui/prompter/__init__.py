"""The presenter's prompter in a terminal. Importing it pulls in Textual."""

from studio.tui.prompter.app import PrompterApp, make_prompter

__all__ = ["PrompterApp", "make_prompter"]
