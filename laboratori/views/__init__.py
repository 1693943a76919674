"""Views of the labs: staff pages, attendance recording and the public pages."""
