"""The community's pages, one module per part of its life."""
