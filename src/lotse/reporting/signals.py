"""Keep the cockpit fresh: data changes invalidate the cached figures of their body."""
