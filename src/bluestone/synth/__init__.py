"""A synthetic force with ground truth. Framework-free: never imports Django."""
