"""What projects and practices share: publication states, tags, SDG links."""
