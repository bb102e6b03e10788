"""The community's forms, one module per part of its life (as its views)."""
