"""SDG (ODS) alignment (public schema): catalogue, specialists' workflow, suggestions.
Arrives with the SDG issue."""
