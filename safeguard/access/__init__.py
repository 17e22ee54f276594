"""Access: roles, the scope filter that decides which children a user may see, the access log."""
