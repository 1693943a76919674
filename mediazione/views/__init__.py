"""Staff pages of the mediation desk: the list and its export, one dossier's life, the
mediation path inside it (parties, activities, agreement) and the aggregated figures."""
