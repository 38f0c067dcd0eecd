"""Pure functions over store data: career flows, and later approach paths and network health."""
