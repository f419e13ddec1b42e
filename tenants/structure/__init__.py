"""Municipal structure (tenant schema): themes, places, actors and the management network,
the master data every other module links to."""
