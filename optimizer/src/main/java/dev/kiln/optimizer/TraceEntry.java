package dev.kiln.optimizer;

/** One rule application: the subtree before and after, printed. */
public record TraceEntry(String pass, String rule, String before, String after) {}
