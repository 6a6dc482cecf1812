"""jituan (集团): compliance checker for education groups under Ganzhou's group-schooling policy."""

__version__ = "0.1.0"
