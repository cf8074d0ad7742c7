"""What projects and practices share: publication states, tags, SDG links, who may see what,
the shared form fields and editing helpers, list queries, and the create/edit/publish pages."""
