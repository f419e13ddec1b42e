"""Community layer (public schema): cross-tenant index fed by the outbox relay, theme and
problem detection, labs and the regional console. Arrives with the community issue."""
