"""families feature."""
