"""medequip: clause-by-clause self-assessment against China's large medical equipment
standards."""

__version__ = "0.1.0"
