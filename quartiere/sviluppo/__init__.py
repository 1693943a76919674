"""Development tooling, a Django app of its own that production does not install."""
