"""Reading inputs: safe YAML with positions, rubrics (built-in, folders, paths, extends) and
answers files, checked with located messages."""
