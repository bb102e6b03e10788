"""The referral pages, one module per part: intake and the lists, the workflow of one
referral, the overrides of the criteria, and the criteria themselves."""
