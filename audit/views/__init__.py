"""The audit module's pages, one module per part: review cycles, KPIs, clinical audits and case studies."""
