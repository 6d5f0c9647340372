"""One controller per resource; handlers are thin and delegate to agents_registry / catalog."""
