"""The community's records, one module per part of its life."""
