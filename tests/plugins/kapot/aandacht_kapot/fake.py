"""An entry point that is not a Domain at all."""

domain = {"name": "nep"}
